-- HOME-1…5 and ASMT-3.

-- A case that began as a home-assessment request (上门评定) carries the day it was requested, so the
-- monthly report (HOME-5) can count requests and days to delivery without decrypting anything.
ALTER TABLE case_file ADD COLUMN home_requested_on date;
CREATE INDEX case_home_idx ON case_file (accept_path text_pattern_ops, home_requested_on) WHERE home_requested_on IS NOT NULL;

-- HOME-3: the county plans visits in dated batches per township, with a designated institution and a
-- doctor for each category needed; a visit is one case in one batch, with its outcome.
CREATE TABLE visit_batch (
  id              uuid PRIMARY KEY,
  batch_no        text NOT NULL UNIQUE,
  county_path     text NOT NULL,
  township_code   text NOT NULL REFERENCES division (code),
  township_path   text NOT NULL,
  visit_on        date NOT NULL,
  mode            text NOT NULL CHECK (mode IN ('home', 'centralized')),
  place           text NOT NULL DEFAULT '',       -- the meeting place of a centralized batch
  institution_id  uuid NOT NULL REFERENCES org_unit (id),
  doctors         jsonb NOT NULL,                 -- { "<category>": "<doctor user id>" }
  note            text NOT NULL DEFAULT '',
  created_by      uuid NOT NULL REFERENCES staff_user (id),
  created_at      timestamptz NOT NULL,
  version         int NOT NULL DEFAULT 1
);
CREATE INDEX visit_batch_county_idx ON visit_batch (county_path text_pattern_ops, visit_on);
CREATE INDEX visit_batch_institution_idx ON visit_batch (institution_id, visit_on);

CREATE TABLE visit (
  batch_id     uuid NOT NULL REFERENCES visit_batch (id),
  case_id      uuid NOT NULL REFERENCES case_file (id),
  added_at     timestamptz NOT NULL,
  outcome      text CHECK (outcome IN ('assessed', 'not_home', 'refused', 'moved')),
  outcome_note text NOT NULL DEFAULT '',
  outcome_by   uuid REFERENCES staff_user (id),
  outcome_at   timestamptz,
  PRIMARY KEY (batch_id, case_id)
);
CREATE INDEX visit_case_idx ON visit (case_id);

-- HOME-5: a county's submitted monthly report, with the figures as submitted.
CREATE TABLE home_report_submission (
  county_path   text NOT NULL,
  month         text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  figures       jsonb NOT NULL,
  submitted_by  uuid NOT NULL REFERENCES staff_user (id),
  submitted_at  timestamptz NOT NULL,
  PRIMARY KEY (county_path, month)
);

-- ASMT-2/ASMT-3: one readable row per recorded assessment (who, where, which levels, whether the
-- conclusion departed from the measurements). Measurements and reasons stay encrypted in the case;
-- category and level are what statistics and sampling need, and the certificate number shows them anyway.
CREATE TABLE assessment_record (
  id              bigserial PRIMARY KEY,
  case_id         uuid NOT NULL REFERENCES case_file (id),
  round           smallint NOT NULL,              -- 0 first assessment, 1 复评, 2 终评
  doctor_id       uuid NOT NULL REFERENCES staff_user (id),
  institution_id  uuid NOT NULL REFERENCES org_unit (id),
  county_path     text NOT NULL,                  -- the accepting county
  assessed_on     date NOT NULL,
  qualified       boolean NOT NULL,
  disabilities    jsonb NOT NULL,                 -- [{ category, level }]
  departs         boolean NOT NULL,               -- conclusion differs from the measurements
  home            boolean NOT NULL,
  recorded_at     timestamptz NOT NULL
);
CREATE INDEX assessment_record_county_idx ON assessment_record (county_path text_pattern_ops, assessed_on);
CREATE INDEX assessment_record_doctor_idx ON assessment_record (doctor_id, assessed_on);

-- ASMT-3: a drawn sample (seeded, reproducible) and a finding per item.
CREATE TABLE audit_sample (
  id          uuid PRIMARY KEY,
  sample_no   text NOT NULL UNIQUE,
  scope_path  text NOT NULL,                      -- the supervisor's subtree the sample was drawn from
  kind        text NOT NULL CHECK (kind IN ('assessment', 'certificate')),
  criteria    jsonb NOT NULL,                     -- filters, period, size or percentage, seed
  population  int NOT NULL,
  drawn_by    uuid NOT NULL REFERENCES staff_user (id),
  drawn_at    timestamptz NOT NULL
);
CREATE TABLE audit_sample_item (
  sample_id    uuid NOT NULL REFERENCES audit_sample (id),
  seq          int NOT NULL,
  ref_id       text NOT NULL,                     -- assessment_record.id or certificate.id
  case_id      uuid,
  finding      text CHECK (finding IN ('conforms', 'doubtful', 'wrong_level', 'fraud_suspected')),
  follow_up    text CHECK (follow_up IN ('none', 'reassessment_ordered', 'certificate_cancelled')),
  note         text NOT NULL DEFAULT '',
  recorded_by  uuid REFERENCES staff_user (id),
  recorded_at  timestamptz,
  version      int NOT NULL DEFAULT 1,
  PRIMARY KEY (sample_id, seq)
);

-- SLA-1 (003): under the Zhejiang profile the applicant must attend the assessment within 14 WD.
UPDATE policy_profile SET settings = jsonb_set(settings, '{sla,attendance}', '14') WHERE code = 'zhejiang' AND NOT (settings->'sla' ? 'attendance');
