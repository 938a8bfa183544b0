-- SEC-1 who viewed what (issue 10 item 11): one row per full view of a person's data — their record,
-- an archive file, the archive export, a case scan, a visit list (one row per person on it), and
-- SEC-5 disclosures to partner agencies. Read by supervisors and auditors (their subtree) and, for
-- their own file, by the applicant (PIPL's right to know). Append-only, like the audit trail.
CREATE TABLE personal_data_view (
  id               bigserial PRIMARY KEY,
  at               timestamptz NOT NULL,
  viewer_kind      text NOT NULL CHECK (viewer_kind IN ('staff', 'partner')),
  viewer_id        uuid NOT NULL,
  viewer_role      text NOT NULL,
  -- the org unit whose grant allowed the view (for a partner: the federation whose agreement it used)
  viewer_org_id    uuid NOT NULL REFERENCES org_unit (id),
  what             text NOT NULL CHECK (what IN ('person_record', 'archive_document', 'archive_export', 'case_document', 'visit_list', 'partner_disclosure', 'agreement_export')),
  purpose          text NOT NULL CHECK (length(purpose) BETWEEN 2 AND 300),
  person_id        uuid REFERENCES person (id),
  case_id          uuid REFERENCES case_file (id),
  -- the places of the person or case viewed: a supervisor whose subtree holds one of them sees the row
  subject_paths    text[] NOT NULL,
  agreement_id     uuid,
  detail           jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX personal_data_view_person_idx ON personal_data_view (person_id, at) WHERE person_id IS NOT NULL;
CREATE INDEX personal_data_view_case_idx ON personal_data_view (case_id, at) WHERE case_id IS NOT NULL;
CREATE INDEX personal_data_view_viewer_idx ON personal_data_view (viewer_id, at);
CREATE INDEX personal_data_view_at_idx ON personal_data_view (at);
CREATE TRIGGER personal_data_view_append_only BEFORE UPDATE OR DELETE ON personal_data_view
  FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();
