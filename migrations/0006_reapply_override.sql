-- NEW-1: a supervisor may let a person re-apply within a year of a cancellation, with a logged reason.
CREATE TABLE reapply_override (
  id          uuid PRIMARY KEY,
  person_id   uuid NOT NULL REFERENCES person (id),
  granted_by  uuid NOT NULL REFERENCES staff_user (id),
  reason      text NOT NULL,
  granted_at  timestamptz NOT NULL,
  valid_until date NOT NULL
);
CREATE INDEX reapply_override_person_idx ON reapply_override (person_id, valid_until);
