-- CARD-3 (issue 10 item 1): one person holds at most one certificate in force (active or frozen)
-- nationwide, and has at most one open case per matter family. Both are unique indexes, so no
-- interleaving of filings, approvals, imports, transfers or reissues can break them, whatever the
-- code above them checks first.
CREATE UNIQUE INDEX certificate_one_in_force ON certificate (person_id) WHERE state IN ('active', 'frozen');

-- The matter family a case belongs to (from its matter's definition): NEW makes a first certificate;
-- the matters on an existing certificate (renewal, transfer, reissue, cancellation, change) share
-- one family, since two of them at once on one certificate would contradict each other.
ALTER TABLE case_file ADD COLUMN family text;
UPDATE case_file SET family = CASE matter WHEN 'new' THEN 'new' ELSE 'certificate' END;
ALTER TABLE case_file ALTER COLUMN family SET NOT NULL;
CREATE UNIQUE INDEX case_one_open_per_family ON case_file (applicant_bidx, family) WHERE closed_at IS NULL;
