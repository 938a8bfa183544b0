-- SEC-5 data-sharing agreements (issue 10 item 12): personal data leaves the federation only under a
-- recorded, approved agreement in its period — spreadsheets with names or IDs, archive ZIPs to another
-- authority, API access by a partner agency — and every disclosure is logged against it
-- (personal_data_view.agreement_id).
CREATE TABLE sharing_agreement (
  id               uuid PRIMARY KEY,
  agreement_no     text NOT NULL UNIQUE,
  -- the federation whose data it covers (its subtree)
  federation_id    uuid NOT NULL REFERENCES org_unit (id),
  federation_path  text NOT NULL,
  party            text NOT NULL CHECK (length(party) BETWEEN 2 AND 100),
  party_kind       text NOT NULL CHECK (party_kind IN ('civil_affairs', 'medical_insurance', 'public_security', 'human_resources', 'other_authority')),
  legal_basis      text NOT NULL CHECK (length(legal_basis) BETWEEN 4 AND 500),
  purpose          text NOT NULL CHECK (length(purpose) BETWEEN 4 AND 500),
  fields           text[] NOT NULL CHECK (cardinality(fields) > 0),
  channels         text[] NOT NULL CHECK (cardinality(channels) > 0 AND channels <@ ARRAY['api', 'spreadsheet', 'archive']),
  valid_from       date NOT NULL,
  valid_until      date NOT NULL,
  state            text NOT NULL CHECK (state IN ('draft', 'approved', 'revoked')),
  version          int NOT NULL DEFAULT 1,
  created_by       uuid NOT NULL REFERENCES staff_user (id),
  created_at       timestamptz NOT NULL,
  approved_by      uuid REFERENCES staff_user (id),
  approved_at      timestamptz,
  revoked_by       uuid REFERENCES staff_user (id),
  revoked_at       timestamptz,
  CHECK (valid_until >= valid_from),
  -- four eyes, in the database: approved means approved by someone, and never by its author
  CHECK (state = 'draft' OR state = 'revoked' OR approved_by IS NOT NULL),
  CHECK (approved_by IS NULL OR approved_by <> created_by)
);
CREATE INDEX sharing_agreement_path_idx ON sharing_agreement (federation_path text_pattern_ops);

-- The history of each agreement: every transition, who, when, why.
CREATE TABLE sharing_agreement_event (
  id            bigserial PRIMARY KEY,
  agreement_id  uuid NOT NULL REFERENCES sharing_agreement (id),
  action        text NOT NULL,
  from_state    text,
  to_state      text NOT NULL,
  actor_id      uuid NOT NULL REFERENCES staff_user (id),
  at            timestamptz NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX sharing_agreement_event_idx ON sharing_agreement_event (agreement_id, id);

-- A partner agency's API client under one agreement: its secret kept hashed; tokens short-lived, hashed.
CREATE TABLE partner_client (
  id           uuid PRIMARY KEY,
  agreement_id uuid NOT NULL REFERENCES sharing_agreement (id),
  name         text NOT NULL,
  client_id    text NOT NULL UNIQUE,
  secret_hash  text NOT NULL,
  created_by   uuid NOT NULL REFERENCES staff_user (id),
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE TABLE partner_token (
  token_hash  text PRIMARY KEY,
  client_id   uuid NOT NULL REFERENCES partner_client (id),
  expires_at  timestamptz NOT NULL
);
ALTER TABLE personal_data_view ADD CONSTRAINT personal_data_view_agreement_fk FOREIGN KEY (agreement_id) REFERENCES sharing_agreement (id);
