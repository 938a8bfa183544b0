-- CARD-1 (002 §6): the old cards a county collects at renewal, transfer, cancellation or change (or
-- hands in outside a case, e.g. after a death), kept for a year and destroyed in a confirmed batch.

-- One confirmed destruction: its printable record number, the county, who confirmed it and when.
CREATE TABLE card_destruction (
  id            uuid PRIMARY KEY,
  record_no     text NOT NULL UNIQUE,
  county_path   text NOT NULL,
  confirmed_by  uuid NOT NULL REFERENCES staff_user (id),
  confirmed_at  timestamptz NOT NULL,
  card_count    int NOT NULL CHECK (card_count > 0),
  note          text NOT NULL DEFAULT ''
);
CREATE INDEX card_destruction_county_idx ON card_destruction (county_path, confirmed_at);

-- A certificate row is one physical card (a reissued card is its own row), so a card is logged once.
CREATE TABLE old_card (
  id              uuid PRIMARY KEY,
  certificate_id  uuid NOT NULL UNIQUE REFERENCES certificate (id),
  case_id         uuid REFERENCES case_file (id),       -- the matter it was handed in for; null outside a case
  county_path     text NOT NULL,                        -- the collecting county, which keeps and destroys it
  collected_on    date NOT NULL,
  collected_by    uuid NOT NULL REFERENCES staff_user (id),
  collected_at    timestamptz NOT NULL,
  note            text NOT NULL DEFAULT '',
  destruction_id  uuid REFERENCES card_destruction (id)
);
-- the held / due lists of a county: kept cards by collection day
CREATE INDEX old_card_kept_idx ON old_card (county_path, collected_on) WHERE destruction_id IS NULL;
CREATE INDEX old_card_destruction_idx ON old_card (destruction_id) WHERE destruction_id IS NOT NULL;
