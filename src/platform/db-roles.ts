/**
 * SEC-2 least privilege on PostgreSQL (issue 10 item 4). The migration role owns every table; the
 * service connects as a role that may read and write ordinary tables but only SELECT and INSERT the
 * evidence tables. Not being the owner, it cannot ALTER TABLE … DISABLE TRIGGER, TRUNCATE or drop
 * anything. `audit_chain` (the chain heads) stays writable — appending moves the head — which is why
 * the heads are also sealed into signed checkpoints outside the database (modules/audit/checkpoints.ts).
 */
import { invalid } from '../domain/errors.js';
import type { Queryable } from './db.js';

/** Rows are only ever added: the triggers of migrations 0001/0031/0040 refuse change, the grants below refuse it again. */
export const APPEND_ONLY_TABLES = ['audit_entry', 'case_event', 'certificate_event', 'personal_data_view'] as const;
/** Written by migrations only. */
const READ_ONLY_TABLES = ['schema_migration'] as const;

/** A role name goes into SQL as an identifier (GRANT cannot take parameters), so only plain names are allowed. */
function roleIdent(role: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw invalid('db.role_name', `角色名 ${role} 不合规：只能用小写字母、数字和下划线，且不以数字开头。`, `Role name ${role} is not allowed: use lower-case letters, digits and underscores, not starting with a digit.`, 'serviceRole');
  }
  return role;
}

/**
 * Creates the login role unless it exists. Roles are cluster-wide while schemas are not, so several
 * schemas (parallel test runs) may ask at once: the loser of a race finds it made by the winner.
 * It gets no password here — the DBA sets one (ALTER ROLE … PASSWORD) or uses certificate/peer auth.
 */
export async function ensureServiceRole(q: Queryable, role: string): Promise<void> {
  const name = roleIdent(role);
  await q.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} LOGIN; END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`);
}

/**
 * Grants the service role what it needs in the current schema, and no more. Idempotent: it runs after
 * every migration, so tables added later are covered.
 */
export async function grantServiceRole(q: Queryable, role: string): Promise<void> {
  const name = roleIdent(role);
  const [{ schema, owner }] = await q.query<{ schema: string; owner: string }>('SELECT current_schema() AS schema, current_user AS owner');
  if (owner === name) {
    throw invalid('db.role_is_owner', `服务角色 ${name} 就是表的所有者，无法限制其权限。请用另一个角色运行迁移。`, `The service role ${name} owns the tables, so its rights cannot be limited. Run migrations as another role.`, 'serviceRole');
  }
  const s = `"${schema.replaceAll('"', '""')}"`;
  const list = (tables: readonly string[]) => tables.map((t) => `${s}.${t}`).join(', ');
  for (const stmt of [
    `GRANT USAGE ON SCHEMA ${s} TO ${name}`,
    `REVOKE CREATE ON SCHEMA ${s} FROM ${name}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${name}`,
    // never needed by the service; revoked in case someone granted them by hand
    `REVOKE TRUNCATE, TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA ${s} FROM ${name}`,
    `REVOKE UPDATE, DELETE ON ${list(APPEND_ONLY_TABLES)} FROM ${name}`,
    `REVOKE INSERT, UPDATE, DELETE ON ${list(READ_ONLY_TABLES)} FROM ${name}`,
    // bigserial ids: nextval needs USAGE; UPDATE (setval) is not given
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${name}`,
  ]) {
    await q.query(stmt);
  }
}
