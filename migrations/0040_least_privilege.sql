-- SEC-2 least privilege (issue 10 item 4). The case history and the certificate history are evidence,
-- like the audit trail and the personal-data view log: rows are only ever added. One trigger function
-- refuses change on all four; it now names the table it guards, so the error says which one.
-- Roles are not created here: a migration also runs on PGlite (one role) and in every test schema,
-- while roles are cluster-wide; `npm run cli -- db-roles` sets them up on PostgreSQL (docs/operations.md).
CREATE OR REPLACE FUNCTION audit_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event
  FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();
CREATE TRIGGER certificate_event_append_only BEFORE UPDATE OR DELETE ON certificate_event
  FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();

-- TRUNCATE fires no row trigger. A statement trigger refuses it as well, which matters most where
-- there is no second role to withhold the privilege from (PGlite).
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_immutable();
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON case_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_immutable();
CREATE TRIGGER certificate_event_no_truncate BEFORE TRUNCATE ON certificate_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_immutable();
CREATE TRIGGER personal_data_view_no_truncate BEFORE TRUNCATE ON personal_data_view
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_immutable();
