/** Who is logged in (staff or applicant), from GET /api/auth/me. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './api';
import { clearDrafts } from './components/drafts';

export type Grant = { role: string; orgUnitId: string; orgName: string; orgKind: string; divisionCode: string };
export type Me =
  | { kind: 'staff'; id: string; username: string; displayName: string; grants: Grant[]; totp?: { enabled: boolean; required: boolean }; enrolmentOnly?: boolean }
  | { kind: 'applicant'; id: string };

export function useMe() {
  return useQuery<Me | null>({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('/api/auth/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return async () => {
    // drafts go first: even when the server cannot be reached, nothing typed stays for the next person
    clearDrafts();
    await api('/api/auth/logout', { method: 'POST', body: {} });
    // nobody is logged in now: said to everyone who watches `me` (care mode follows the person), and
    // every other cached answer, which belonged to the person who left, is dropped
    qc.setQueryData(['me'], null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  };
}

export const hasRole = (me: Me | null | undefined, ...roles: string[]) => me?.kind === 'staff' && me.grants.some((g) => roles.includes(g.role));

/** A county federation desk (clerk, reviewer or approver at a county-level federation), e.g. for the old-card register (CARD-1). */
export const isCountyDesk = (me: Me | null | undefined) =>
  me?.kind === 'staff' && me.grants.some((g) => ['clerk', 'reviewer', 'approver'].includes(g.role) && g.orgKind === 'federation' && g.divisionCode.length === 6);
