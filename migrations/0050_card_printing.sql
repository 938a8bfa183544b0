-- DOC-1 printing the cards: a batch is created (its cards chosen), rendered as one PDF, then
-- confirmed — only the confirmation takes the `print` workflow action on each case and records
-- each card printed. A reprint (a card printed before) carries its reason.
CREATE TABLE card_batch (
  id            uuid PRIMARY KEY,
  org_unit_id   uuid NOT NULL REFERENCES org_unit (id),
  created_by    uuid NOT NULL REFERENCES staff_user (id),
  created_at    timestamptz NOT NULL,
  confirmed_by  uuid REFERENCES staff_user (id),
  confirmed_at  timestamptz,
  CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL))
);
CREATE TABLE card_batch_item (
  batch_id        uuid NOT NULL REFERENCES card_batch (id),
  position        int NOT NULL,
  case_id         uuid NOT NULL REFERENCES case_file (id),
  certificate_id  uuid NOT NULL REFERENCES certificate (id),
  reprint_reason  text CHECK (reprint_reason IS NULL OR length(reprint_reason) BETWEEN 2 AND 200),
  PRIMARY KEY (batch_id, position),
  UNIQUE (batch_id, case_id)
);
CREATE TABLE card_print (
  id              bigserial PRIMARY KEY,
  certificate_id  uuid NOT NULL REFERENCES certificate (id),
  batch_id        uuid NOT NULL REFERENCES card_batch (id),
  printed_at      timestamptz NOT NULL,
  printed_by      uuid NOT NULL REFERENCES staff_user (id),
  reprint_reason  text CHECK (reprint_reason IS NULL OR length(reprint_reason) BETWEEN 2 AND 200)
);
CREATE INDEX card_print_certificate_idx ON card_print (certificate_id, printed_at);

-- a printed card is a full view of the holder's data (SEC-1): logged like the others
ALTER TABLE personal_data_view DROP CONSTRAINT personal_data_view_what_check;
ALTER TABLE personal_data_view ADD CONSTRAINT personal_data_view_what_check
  CHECK (what IN ('person_record', 'archive_document', 'archive_export', 'case_document', 'visit_list', 'partner_disclosure', 'agreement_export', 'card_print'));
