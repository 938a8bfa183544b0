-- Tongban foundation schema. One dialect for PGlite and PostgreSQL.
-- in public, never in a run's own schema: dropping that schema would take the extension (and every
-- other run's trigram indexes) with it
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- ORG-1: statistical divisions. `path` is the dotted chain of ancestor codes ending in a dot,
-- e.g. '33.3301.330106.' so a jurisdiction test is one indexed prefix match, never a tree walk.
CREATE TABLE division (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  level       smallint NOT NULL CHECK (level BETWEEN 0 AND 5), -- 0 national, 1 province … 5 village
  parent_code text,
  path        text NOT NULL
);
CREATE INDEX division_parent_idx ON division (parent_code, code);
CREATE INDEX division_path_idx ON division (path text_pattern_ops);
CREATE INDEX division_name_trgm_idx ON division USING gin (name gin_trgm_ops);

-- SLA-4: regional policy profiles are data; each province points to one.
CREATE TABLE policy_profile (
  code     text PRIMARY KEY,
  name_zh  text NOT NULL,
  name_en  text NOT NULL,
  settings jsonb NOT NULL
);
CREATE TABLE province_profile (
  province_code text PRIMARY KEY REFERENCES division (code),
  profile_code  text NOT NULL REFERENCES policy_profile (code)
);

-- SLA-1: the working-day calendar as data. A year is usable only once it is published here.
CREATE TABLE calendar_year (
  year        int PRIMARY KEY,
  source      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE calendar_day (
  day   date PRIMARY KEY,
  kind  text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name  text NOT NULL DEFAULT ''
);

-- ORG-2: organisation units: federations at every level, township and village offices, institutions.
CREATE TABLE org_unit (
  id             uuid PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('federation', 'township', 'village', 'institution')),
  name           text NOT NULL,
  division_code  text NOT NULL REFERENCES division (code),
  -- the subtree this unit may see: its division path, or for an institution its county path + 'i<id>.'
  path           text NOT NULL,
  active         boolean NOT NULL DEFAULT true
);
CREATE INDEX org_unit_path_idx ON org_unit (path text_pattern_ops);

CREATE TABLE staff_user (
  id              uuid PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  password_hash   text NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  failed_logins   int NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  deactivated_at  timestamptz
);
CREATE TABLE role_grant (
  user_id      uuid NOT NULL REFERENCES staff_user (id),
  role         text NOT NULL,
  org_unit_id  uuid NOT NULL REFERENCES org_unit (id),
  PRIMARY KEY (user_id, role, org_unit_id)
);

-- Applicants and guardians who apply online log in with a phone number (stored encrypted + blind index).
CREATE TABLE applicant_account (
  id             uuid PRIMARY KEY,
  phone_bidx     text NOT NULL UNIQUE,
  phone_enc      text NOT NULL,
  name_enc       text NOT NULL,
  password_hash  text NOT NULL,
  failed_logins  int NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Server-side sessions; the cookie carries a random token, the table only its SHA-256.
CREATE TABLE auth_session (
  token_hash    text PRIMARY KEY,
  staff_id      uuid REFERENCES staff_user (id),
  applicant_id  uuid REFERENCES applicant_account (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  CHECK ((staff_id IS NULL) <> (applicant_id IS NULL))
);
CREATE INDEX auth_session_staff_idx ON auth_session (staff_id);
-- ORG-4: one row per staff login, to report clerks who missed their daily logins.
CREATE TABLE staff_login (
  staff_id  uuid NOT NULL REFERENCES staff_user (id),
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_login_idx ON staff_login (staff_id, at);

-- SEC-1: persons. Identity and contact data encrypted (AES-256-GCM); id_bidx is a keyed HMAC for exact lookup.
CREATE TABLE person (
  id              uuid PRIMARY KEY,
  id_bidx         text NOT NULL UNIQUE,
  id_enc          text NOT NULL,
  id_masked       text NOT NULL,
  name_enc        text NOT NULL,
  sex             char(1) NOT NULL,
  birth_date      date NOT NULL,
  details_enc     text NOT NULL, -- phone, address, ethnicity, guardian … as encrypted JSON
  hukou_code      text NOT NULL REFERENCES division (code),
  hukou_path      text NOT NULL,
  residence_code  text NOT NULL REFERENCES division (code),
  residence_path  text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  version         int NOT NULL DEFAULT 1
);
CREATE INDEX person_hukou_path_idx ON person (hukou_path text_pattern_ops);
CREATE INDEX person_residence_path_idx ON person (residence_path text_pattern_ops);

-- CARD-2: certificates and their full state history.
CREATE TABLE certificate (
  id             uuid PRIMARY KEY,
  number         text NOT NULL,
  person_id      uuid NOT NULL REFERENCES person (id),
  category       smallint NOT NULL,
  level          smallint NOT NULL,
  disabilities   jsonb NOT NULL,
  state          text NOT NULL CHECK (state IN ('active', 'frozen', 'reported_lost', 'expired', 'cancelled')),
  valid_from     date NOT NULL,
  valid_until    date NOT NULL,
  issuer_org_id  uuid NOT NULL REFERENCES org_unit (id),
  case_id        uuid,
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  version        int NOT NULL DEFAULT 1
);
CREATE INDEX certificate_person_idx ON certificate (person_id);
CREATE INDEX certificate_number_idx ON certificate (number);
CREATE TABLE certificate_event (
  id              bigserial PRIMARY KEY,
  certificate_id  uuid NOT NULL REFERENCES certificate (id),
  from_state      text,
  to_state        text NOT NULL,
  at              timestamptz NOT NULL DEFAULT now(),
  actor_id        uuid,
  reason          text NOT NULL,
  case_id         uuid
);
CREATE INDEX certificate_event_cert_idx ON certificate_event (certificate_id, id);

-- The cases (办件) of every matter, driven by the workflow engine.
CREATE TABLE case_file (
  id                    uuid PRIMARY KEY,
  case_no               text NOT NULL UNIQUE,
  matter                text NOT NULL,
  state                 text NOT NULL,
  version               int NOT NULL DEFAULT 1,
  profile_code          text NOT NULL REFERENCES policy_profile (code),
  channel               text NOT NULL CHECK (channel IN ('onsite', 'online', 'proxy')),
  person_id             uuid REFERENCES person (id),
  applicant_bidx        text NOT NULL,
  applicant_enc         text NOT NULL,   -- the application form (identity, contact, guardian) encrypted
  applicant_masked      text NOT NULL,   -- masked ID number, for lists
  applicant_name_masked text NOT NULL,
  birth_date            date NOT NULL,
  applicant_account_id  uuid REFERENCES applicant_account (id),
  categories            smallint[] NOT NULL,
  residence_code        text NOT NULL REFERENCES division (code),
  residence_path        text NOT NULL,   -- path of the residence place (county or below)
  hukou_code            text NOT NULL REFERENCES division (code),
  hukou_path            text NOT NULL,   -- path of the hukou place (county or below)
  -- the county that took the application and plays the "residence" side (the residence county, or the
  -- hukou county when the person applied there)
  accept_code           text NOT NULL REFERENCES division (code),
  accept_path           text NOT NULL,
  institution_id        uuid REFERENCES org_unit (id),
  institution_path      text,
  data                  jsonb NOT NULL DEFAULT '{}',  -- materials, assessment, publicity, delivery …
  clocks                jsonb NOT NULL DEFAULT '{}',  -- SLA clocks by name
  waiting_side          text,            -- residence | hukou | institution | applicant | null when closed
  waiting_path          text,            -- org path that must act next
  waiting_roles         text[] NOT NULL DEFAULT '{}',
  active_clock          text,
  due_on                date,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  closed_at             timestamptz
);
CREATE INDEX case_waiting_idx ON case_file (waiting_path text_pattern_ops, due_on, id) WHERE waiting_side IS NOT NULL;
CREATE INDEX case_residence_idx ON case_file (residence_path text_pattern_ops);
CREATE INDEX case_hukou_idx ON case_file (hukou_path text_pattern_ops);
CREATE INDEX case_accept_idx ON case_file (accept_path text_pattern_ops);
CREATE INDEX case_person_idx ON case_file (person_id);
CREATE INDEX case_applicant_bidx_idx ON case_file (applicant_bidx);
CREATE INDEX case_applicant_account_idx ON case_file (applicant_account_id);

CREATE TABLE case_event (
  id          bigserial PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES case_file (id),
  action      text NOT NULL,
  from_state  text,
  to_state    text NOT NULL,
  actor_kind  text NOT NULL,          -- staff | applicant | system
  actor_id    uuid,
  actor_name  text NOT NULL,
  actor_role  text,
  org_unit_id uuid,
  at          timestamptz NOT NULL DEFAULT now(),
  payload     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_event_case_idx ON case_event (case_id, id);

-- A retried request with the same Idempotency-Key gets the stored answer instead of acting twice.
CREATE TABLE idempotency_record (
  principal    text NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  status       int NOT NULL,
  body         jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);

-- SEC-2: the audit trail, hash-chained per chain (one chain per org unit) so writes in different
-- counties never queue behind one row. Rows can only be inserted: the triggers refuse change.
CREATE TABLE audit_chain (
  chain     text PRIMARY KEY,
  last_seq  bigint NOT NULL,
  last_hash text NOT NULL
);
CREATE TABLE audit_entry (
  chain       text NOT NULL,
  seq         bigint NOT NULL,
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  action      text NOT NULL,
  object_type text NOT NULL,
  object_id   text NOT NULL,
  detail      jsonb NOT NULL,
  prev_hash   text NOT NULL,
  hash        text NOT NULL,
  PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_entry_object_idx ON audit_entry (object_type, object_id);
CREATE FUNCTION audit_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only';
END;
$$;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();
