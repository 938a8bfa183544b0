-- ID-3: a record that may be a person already on file is never silently made a second person (or given a
-- second certificate): it waits on this list until a supervisor decides. kind 'legacy_import': a row of a
-- county's legacy import whose ID number (15- and 18-digit forms alike, through the blind index) is
-- already on file; 'near_match': a row with another ID number but the name, birth date and hukou county
-- of a person on file (a mistyped number, most likely). The incoming data is kept encrypted (SEC-1), with masked copies for lists.
-- Jurisdiction (ORG-3): the importing county, and the existing person's current hukou and residence
-- places (read from person, so a person who moved is seen by the new place's supervisors).
CREATE TABLE duplicate_candidate (
  id                    uuid PRIMARY KEY,
  kind                  text NOT NULL CHECK (kind IN ('legacy_import', 'near_match')),
  person_id             uuid NOT NULL REFERENCES person (id),
  incoming_enc          text NOT NULL,
  incoming_id_masked    text NOT NULL,
  incoming_name_masked  text NOT NULL,
  -- a keyed hash of what came in, so loading the same file again raises no second candidate
  incoming_key          text NOT NULL,
  source                text NOT NULL, -- the file's name and line, for the operator to find the row
  county_code           text NOT NULL REFERENCES division (code),
  county_path           text NOT NULL,
  county_org_id         uuid NOT NULL REFERENCES org_unit (id), -- the federation that would issue the certificate
  found_at              timestamptz NOT NULL,
  status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'same_person_merged', 'different_persons', 'rejected')),
  resolution_note       text,
  resolved_by           uuid REFERENCES staff_user (id),
  resolved_at           timestamptz,
  version               int NOT NULL DEFAULT 1,
  UNIQUE (kind, person_id, county_code, incoming_key),
  CHECK ((status = 'open') = (resolved_at IS NULL) AND (status = 'open') = (resolved_by IS NULL) AND (status = 'open') = (resolution_note IS NULL))
);
CREATE INDEX duplicate_candidate_county_idx ON duplicate_candidate (county_path text_pattern_ops);
CREATE INDEX duplicate_candidate_person_idx ON duplicate_candidate (person_id);

-- Near matches are found by the exact full name (keyed blind index, like case_file.applicant_name_bidx)
-- and the birth date. Persons written before this migration have none until their next update.
ALTER TABLE person ADD COLUMN name_bidx text;
CREATE INDEX person_name_bidx_idx ON person (name_bidx, birth_date);
