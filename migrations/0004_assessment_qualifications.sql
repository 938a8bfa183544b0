-- ASMT-1: which categories a designated institution may assess, and until when; each doctor's
-- training certificate, per-category qualification and status (retired doctors may not assess).
CREATE TABLE institution_designation (
  institution_id  uuid PRIMARY KEY REFERENCES org_unit (id),
  categories      smallint[] NOT NULL,
  valid_from      date NOT NULL,
  valid_until     date NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE doctor_qualification (
  user_id            uuid PRIMARY KEY REFERENCES staff_user (id),
  title              text NOT NULL,
  training_cert_no   text NOT NULL,
  training_date      date NOT NULL,
  training_expires   date NOT NULL,
  categories         smallint[] NOT NULL,
  status             text NOT NULL CHECK (status IN ('active', 'retired')),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
