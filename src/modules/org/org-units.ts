/** Org units: federations, township and village offices, institutions — each with the subtree it sees. */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db.js';

export type OrgKind = 'federation' | 'township' | 'village' | 'institution';

export async function createOrgUnit(q: Queryable, kind: OrgKind, name: string, division: string) {
  const id = randomUUID();
  const [d] = await q.query('SELECT path FROM division WHERE code = $1', [division]);
  if (!d) throw new Error(`division ${division} missing`);
  // an institution gets its own branch under its county, so its staff see only its own cases
  const path = kind === 'institution' ? `${d.path}i${id.slice(0, 8)}.` : d.path;
  await q.query('INSERT INTO org_unit (id, kind, name, division_code, path) VALUES ($1, $2, $3, $4, $5)', [id, kind, name, division, path]);
  return id;
}

