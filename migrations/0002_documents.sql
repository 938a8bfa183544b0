-- Scanned documents (ARCH-1 basis): stored once, content-addressed by the SHA-256 of the plain bytes,
-- encrypted at rest like every other piece of personal data, type checked from the content.
CREATE TABLE document (
  sha256      text PRIMARY KEY,
  mime        text NOT NULL,
  size        int NOT NULL,
  content_enc bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE case_document (
  id             uuid PRIMARY KEY,
  case_id        uuid NOT NULL REFERENCES case_file (id),
  sha256         text NOT NULL REFERENCES document (sha256),
  material_code  text NOT NULL,
  file_name      text NOT NULL,
  origin_org_id  uuid REFERENCES org_unit (id),
  uploaded_by    text NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_document_case_idx ON case_document (case_id, at);
