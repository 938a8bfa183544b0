-- Issue 5: the matters that act on an existing certificate (renewal, transfer, reissue,
-- cancellation, category/level change).

-- A card replaced by another (renewed, reissued, transferred, changed, partly cancelled) is closed
-- with a pointer to its successor, so an old number stays findable and leads to the new one
-- (CHANGE-1), and a replacement is never mistaken for a cancellation (NEW-1's one-year block).
ALTER TABLE certificate ADD COLUMN replaced_by uuid REFERENCES certificate (id);
-- which physical card of the same certificate this is (a reissued card keeps number and validity)
ALTER TABLE certificate ADD COLUMN card_no smallint NOT NULL DEFAULT 1;
CREATE INDEX certificate_person_state_idx ON certificate (person_id, state);

-- The certificate a case acts on, the matter's variant (e.g. renewal for expiry / a damaged card /
-- an information update), and for a transfer the county that held the certificate until now.
ALTER TABLE case_file ADD COLUMN certificate_id uuid REFERENCES certificate (id);
ALTER TABLE case_file ADD COLUMN variant text;
ALTER TABLE case_file ADD COLUMN origin_code text REFERENCES division (code);
ALTER TABLE case_file ADD COLUMN origin_path text;
CREATE INDEX case_certificate_idx ON case_file (certificate_id);
CREATE INDEX case_origin_idx ON case_file (origin_path text_pattern_ops) WHERE origin_path IS NOT NULL;
