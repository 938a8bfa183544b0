-- SEC-1 (issue 10 item 3): the 20-character certificate number holds the whole citizen ID, so it is
-- personal data like person.id_enc. It is kept as a keyed blind index (exact lookup, uniqueness) and
-- a masked form for lists; the full number is the person's ID (encrypted on the person) followed by
-- the category and level digits, which stay readable in their own columns.
ALTER TABLE certificate ADD COLUMN number_bidx text;
ALTER TABLE certificate ADD COLUMN number_masked text;
-- @data-step certificate-numbers
-- (the step fills the two columns from any clear-text numbers with the service's keys)
DROP INDEX certificate_number_idx;
ALTER TABLE certificate DROP COLUMN number;
ALTER TABLE certificate ALTER COLUMN number_bidx SET NOT NULL;
ALTER TABLE certificate ALTER COLUMN number_masked SET NOT NULL;
-- a reissued card keeps its number and counts up card_no; two certificates never share both
CREATE UNIQUE INDEX certificate_number_bidx_idx ON certificate (number_bidx, card_no);
