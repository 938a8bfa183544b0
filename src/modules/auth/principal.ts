/**
 * Who is calling: a staff member with role grants bound to org units (ORG-2), or an applicant/guardian
 * who applies online. Jurisdiction (ORG-3) is decided from the grants' stored org paths.
 */
import type { StaffRole } from '../../domain/workflow/types.js';

export type StaffGrant = {
  role: StaffRole;
  orgUnitId: string;
  orgKind: 'federation' | 'township' | 'village' | 'institution';
  orgName: string;
  /** the subtree this grant covers, e.g. '33.3301.330106.' ('' = the whole country) */
  orgPath: string;
  divisionCode: string;
  divisionLevel: number;
};

export type StaffPrincipal = {
  kind: 'staff';
  id: string;
  username: string;
  displayName: string;
  grants: StaffGrant[];
  /** SEC-3: logged in with the password only, and the policy asks for TOTP: the session may only enrol it. */
  enrolmentOnly?: boolean;
};
export type ApplicantPrincipal = { kind: 'applicant'; id: string };
export type Principal = StaffPrincipal | ApplicantPrincipal;

export const principalKey = (p: Principal) => `${p.kind}:${p.id}`;

/** Does any of these grants cover the path? Optionally only grants with one of `roles`. */
export function covers(grants: StaffGrant[], path: string | null | undefined, roles?: readonly StaffRole[]) {
  if (!path) return false;
  return grants.some((g) => path.startsWith(g.orgPath) && (!roles || roles.includes(g.role)));
}

/** The LIKE pattern for a stored path's subtree, for SQL `path LIKE $n`. */
export const likePrefix = (path: string) => path.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/** The county federation desks the caller works at, in the given desk roles (clerk, reviewer, approver). */
export const countyDeskGrants = (grants: StaffGrant[], roles: readonly StaffRole[] = ['clerk', 'reviewer', 'approver']) =>
  grants.filter((g) => roles.includes(g.role) && g.orgKind === 'federation' && g.divisionLevel === 3);

/** LIKE patterns for the caller's subtrees, for SQL `path LIKE ANY($n)`. */
export const scopePatterns = (grants: StaffGrant[]) => [...new Set(grants.map((g) => likePrefix(g.orgPath)))];

/**
 * The grants that open persons and cases. A system administrator manages accounts and reference
 * data; holding the national admin role must not open the whole country's personal data.
 */
export const caseworkGrants = (grants: StaffGrant[]) => grants.filter((g) => g.role !== 'admin');
