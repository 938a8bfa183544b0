-- Search cases by the applicant's exact full name (keyed blind index; names stay encrypted).
ALTER TABLE case_file ADD COLUMN applicant_name_bidx text;
CREATE INDEX case_applicant_name_bidx_idx ON case_file (applicant_name_bidx);
