-- Issue 5 item 8: a county's existing certificate holders imported from its old system (CLI import-certificates).
-- visual_assessment marks pre-2018 certificates assessed by sight (目测), which RENEW-2 and TRF-3 send to
-- reassessment; source tells an imported certificate from one this system issued after a case.
ALTER TABLE certificate ADD COLUMN visual_assessment boolean NOT NULL DEFAULT false;
ALTER TABLE certificate ADD COLUMN source text NOT NULL DEFAULT 'tongban' CHECK (source IN ('tongban', 'legacy'));
