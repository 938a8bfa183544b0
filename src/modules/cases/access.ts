/**
 * ORG-3 for cases: who can see a case (their subtree holds its accepting, residence, hukou or
 * institution side) and which sides they hold on it. Outside it a case does not exist for them (404).
 */
import { notFound } from '../../domain/errors.js';
import type { Queryable } from '../../platform/db.js';
import type { Grant, Role, Side } from '../../domain/workflow/types.js';
import { caseworkGrants, type Principal, type StaffGrant } from '../auth/principal.js';
import { countyPathOf } from '../org/divisions.js';

export type CaseAccessRow = {
  accept_path: string;
  residence_path: string;
  hukou_path: string;
  institution_id: string | null;
  institution_path: string | null;
  applicant_account_id: string | null;
  /** TRF-2: the county that held the certificate before a transfer */
  origin_path: string | null;
};

const COUNTY_DESK_ROLES = ['clerk', 'reviewer', 'approver'];

export function canSeeCase(p: Principal, c: CaseAccessRow): boolean {
  if (p.kind === 'applicant') return c.applicant_account_id === p.id;
  return caseworkGrants(p.grants).some((g) => [c.accept_path, c.residence_path, c.hukou_path, c.institution_path, c.origin_path].some((path) => path?.startsWith(g.orgPath)));
}

function assertCanSeeCase(p: Principal, c: CaseAccessRow | undefined): asserts c is CaseAccessRow {
  if (!c || !canSeeCase(p, c)) throw notFound({ zh: '案件', en: 'case' });
}

/**
 * Reads a case the caller may see — 404 for a malformed id, an unknown case or one outside their
 * jurisdiction alike. `forUpdate` locks the row for the caller's transaction.
 */
export async function visibleCaseRow(q: Queryable, p: Principal, caseId: string, forUpdate = false): Promise<any> {
  const rows = /^[0-9a-f-]{36}$/i.test(caseId) ? await q.query(`SELECT * FROM case_file WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [caseId]) : [];
  assertCanSeeCase(p, rows[0] as CaseAccessRow | undefined);
  return rows[0];
}

/** The sides of this case the caller acts for, with the role they act in. */
export function grantsOnCase(p: Principal, c: CaseAccessRow): Grant[] {
  if (p.kind === 'applicant') return c.applicant_account_id === p.id ? [{ side: 'applicant', role: 'applicant' }] : [];
  const out: Grant[] = [];
  const deskAt = (g: StaffGrant, countyPath: string) => COUNTY_DESK_ROLES.includes(g.role) && g.orgKind === 'federation' && g.orgPath === countyPath;
  for (const g of p.grants) {
    if (deskAt(g, countyPathOf(c.accept_path))) out.push({ side: 'residence', role: g.role });
    if (deskAt(g, countyPathOf(c.hukou_path))) out.push({ side: 'hukou', role: g.role });
    if (c.origin_path && deskAt(g, countyPathOf(c.origin_path))) out.push({ side: 'origin', role: g.role });
    if (g.orgKind === 'institution' && g.orgUnitId === c.institution_id) out.push({ side: 'institution', role: g.role });
    // HOME-2: village and township workers review home-assessment requests of people living in their area
    if ((g.orgKind === 'village' || g.orgKind === 'township') && c.residence_path.startsWith(g.orgPath)) out.push({ side: 'residence', role: g.role });
  }
  return out;
}

/**
 * The org path whose worklists show a case waiting on `w`: the accepting county's for its desk, the
 * hukou county's, the institution's — and for village or township workers their own place within
 * the residence county (HOME-2), so a request reaches the one village that must review it.
 */
export function waitingPathFor(
  w: { side: Side; roles: Role[] } | null,
  c: Pick<CaseAccessRow, 'accept_path' | 'residence_path' | 'hukou_path' | 'institution_path' | 'origin_path'>,
): string | null {
  switch (w?.side) {
    case 'residence':
      if (w.roles.every((r) => r === 'village_worker')) return c.residence_path;
      if (w.roles.every((r) => r === 'township_worker')) return c.residence_path.split('.').slice(0, 4).join('.') + '.';
      return countyPathOf(c.accept_path);
    case 'hukou':
      return countyPathOf(c.hukou_path);
    case 'institution':
      return c.institution_path;
    case 'origin':
      return c.origin_path && countyPathOf(c.origin_path);
    case 'applicant':
      return countyPathOf(c.accept_path); // applicants are found by account; the path keeps the county's view
    default:
      return null;
  }
}
