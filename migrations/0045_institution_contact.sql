-- NEW-2 / MSG-1: an assessment institution's address, phone and opening hours, so that the applicant is
-- told where to go, whom to call and when it is open (an institution is public, not personal, data).
ALTER TABLE org_unit ADD COLUMN address text;
ALTER TABLE org_unit ADD COLUMN phone text;
ALTER TABLE org_unit ADD COLUMN opening_hours text;
