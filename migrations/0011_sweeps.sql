-- TRF-4 and CARD-2: the daily sweep.

-- Hukou moves shared by the police (CLI import-hukou-moves, POST /api/admin/hukou-moves); kept for
-- persons on file only. `source` names the file a move came from.
CREATE TABLE hukou_move (
  id          uuid PRIMARY KEY,
  person_id   uuid NOT NULL REFERENCES person (id),
  from_code   text NOT NULL REFERENCES division (code),
  to_code     text NOT NULL REFERENCES division (code),
  moved_on    date NOT NULL,
  source      text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (person_id, moved_on)
);

-- TRF-4: a certificate the sweep puts on the old county's list to check, to freeze (hukou moved out
-- more than 6 months ago) or to cancel (more than a year). Only a person's decision changes the
-- certificate. A review the sweep finds no longer applies (transferred, moved back, expired) is
-- closed as dismissed with no decided_by. One review per certificate, kind and move, so a dismissed
-- candidate is not raised again for the same move; at most one open per certificate and kind.
CREATE TABLE certificate_review (
  id              uuid PRIMARY KEY,
  certificate_id  uuid NOT NULL REFERENCES certificate (id),
  kind            text NOT NULL CHECK (kind IN ('freeze', 'cancel')),
  county_path     text NOT NULL, -- the old county: the one holding the certificate
  move_id         uuid NOT NULL REFERENCES hukou_move (id),
  found_on        date NOT NULL,
  decision        text CHECK (decision IN ('confirmed', 'dismissed')),
  reason          text,
  decided_by      uuid REFERENCES staff_user (id),
  decided_at      timestamptz,
  version         int NOT NULL DEFAULT 1,
  UNIQUE (certificate_id, kind, move_id),
  CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (reason IS NULL))
);
CREATE UNIQUE INDEX certificate_review_open_idx ON certificate_review (certificate_id, kind) WHERE decision IS NULL;
CREATE INDEX certificate_review_county_idx ON certificate_review (county_path text_pattern_ops) WHERE decision IS NULL;
