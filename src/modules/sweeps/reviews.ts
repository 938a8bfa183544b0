/**
 * TRF-4: the old county's list of certificates to check, and a person's decision on each. The desks
 * (clerk, reviewer, approver) of the county holding the certificate decide; supervisors read their
 * subtree's lists; for everyone else a review does not exist (404). A confirmation freezes or cancels
 * through the CARD-2 state machine with the reason in the certificate's history; a dismissal leaves
 * the certificate as it is.
 */
import type { AppContext } from '../../app-context.js';
import type { CertificateState } from '../../domain/certificates.js';
import { conflict, DomainError, notFound } from '../../domain/errors.js';
import { sweepCertificate, type ReviewKind } from '../../domain/sweeps.js';
import { appendAudit } from '../audit/audit-chain.js';
import { likePrefix, type StaffGrant, type StaffPrincipal } from '../auth/principal.js';
import { changeCertificateState } from '../certificates/certificates.js';
import { countyPathOf } from '../org/divisions.js';
import { maskName, placeNames } from '../persons/persons.js';
import { stillCandidate, sweepInputFor, withdrawReviews } from './sweep.js';

const DESK_ROLES = ['clerk', 'reviewer', 'approver'];
const isDesk = (g: StaffGrant) => DESK_ROLES.includes(g.role) && g.orgKind === 'federation' && g.divisionLevel === 3;
const deskFor = (p: StaffPrincipal, countyPath: string) => p.grants.find((g) => isDesk(g) && g.orgPath === countyPath);
/** The grants that open county lists: a desk its own county's, a supervisor every county below them. */
const listGrants = (p: StaffPrincipal) => p.grants.filter((g) => isDesk(g) || g.role === 'supervisor');

const NOT_FOUND = { zh: '待核查记录', en: 'review' };
/** What a confirmation does to the certificate, and the reason code its history records (CANCEL_REASONS). */
const CONFIRMED: Record<ReviewKind, { to: CertificateState; reason: string }> = {
  freeze: { to: 'frozen', reason: 'hukou_moved_6m' },
  cancel: { to: 'cancelled', reason: 'hukou_moved' },
};

export function reviewService(ctx: AppContext) {
  const { db, crypto } = ctx;

  return {
    /** Open candidates in the caller's counties, oldest move first; a certificate whose state has moved on is not shown. */
    async list(p: StaffPrincipal, page: number, pageSize: number) {
      const grants = listGrants(p);
      if (!grants.length) {
        throw new DomainError('forbidden', 'review.role', { zh: '只有县级残联办证窗口和督导可查看此名单。', en: 'Only county desks and supervisors see this list.' });
      }
      const where = `r.decision IS NULL AND r.county_path LIKE ANY($1)
        AND ((r.kind = 'freeze' AND c.state = 'active') OR (r.kind = 'cancel' AND c.state IN ('active', 'frozen')))`;
      const patterns = [...new Set(grants.map((g) => likePrefix(g.orgPath)))];
      const rows = await db.query(
        `SELECT r.id, r.kind, r.version, r.found_on, r.county_path, m.moved_on, d.path AS to_path,
                c.id AS certificate_id, c.number_masked, c.state, c.valid_until, p.id AS person_id, p.name_enc, p.id_masked,
                count(*) OVER () AS total
         FROM certificate_review r JOIN certificate c ON c.id = r.certificate_id JOIN person p ON p.id = c.person_id
           JOIN hukou_move m ON m.id = r.move_id JOIN division d ON d.code = m.to_code
         WHERE ${where} ORDER BY m.moved_on, r.kind DESC, r.id LIMIT $2 OFFSET $3`,
        [patterns, pageSize, (page - 1) * pageSize],
      );
      // the new hukou place down to its county only: the old county needs no more to contact it
      const places = await placeNames(db, rows.flatMap((r) => [countyPathOf(r.to_path), r.county_path]));
      return {
        total: rows[0]?.total ?? 0,
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind as ReviewKind,
          version: r.version,
          foundOn: r.found_on,
          movedOn: r.moved_on,
          movedTo: places(countyPathOf(r.to_path)),
          county: places(r.county_path),
          certificate: { id: r.certificate_id, numberMasked: r.number_masked, state: r.state as CertificateState, validUntil: r.valid_until },
          holder: { personId: r.person_id, nameMasked: maskName(crypto.decrypt(r.name_enc)), idNumberMasked: r.id_masked },
          canDecide: Boolean(deskFor(p, r.county_path)),
        })),
      };
    },

    async decide(p: StaffPrincipal, reviewId: string, d: { decision: 'confirmed' | 'dismissed'; reason: string; expectedVersion: number }) {
      return db.tx(async (q) => {
        const [r] = /^[0-9a-f-]{36}$/i.test(reviewId)
          ? await q.query<{ id: string; certificate_id: string; kind: ReviewKind; county_path: string; move_id: string; decision: string | null; version: number }>('SELECT id, certificate_id, kind, county_path, move_id, decision, version FROM certificate_review WHERE id = $1 FOR UPDATE', [reviewId])
          : [];
        if (!r || !listGrants(p).some((g) => r.county_path.startsWith(g.orgPath))) throw notFound(NOT_FOUND);
        const desk = deskFor(p, r.county_path);
        if (!desk) {
          throw new DomainError('forbidden', 'review.read_only', {
            zh: '督导只能查看此名单；冻结或注销由持证人原户籍地县级残联核查后决定。',
            en: 'Supervisors only read this list; the county holding the certificate checks and decides.',
          });
        }
        if (r.decision !== null) {
          throw conflict('review.decided', '此记录已处理，请刷新名单。', 'This review has already been decided; reload the list.');
        }
        if (r.version !== d.expectedVersion) {
          throw conflict('review.stale', '此记录已被他人更新，请刷新后重试。', 'Someone else changed this review; reload it and try again.');
        }
        const at = ctx.clock.now();
        // checked again now: a transfer may have been completed, or the certificate changed, since the sweep
        const input = await sweepInputFor(q, r.certificate_id, ctx.clock.today());
        const outcome = input && sweepCertificate(input);
        if (d.decision === 'confirmed' && !(outcome && stillCandidate(outcome, r))) {
          throw conflict(
            'review.no_longer_applies',
            '情况已变化（已办理迁移、户口迁回或证的状态已改变），不能再按此记录处理。请刷新名单。',
            'This no longer applies (the certificate was transferred, the hukou moved back, or its state changed). Reload the list.',
          );
        }
        if (d.decision === 'confirmed') {
          const c = CONFIRMED[r.kind];
          await changeCertificateState(q, r.certificate_id, c.to, { reason: `${c.reason}: ${d.reason}`, actorId: p.id, at });
        }
        await q.query(
          `UPDATE certificate_review SET decision = $2, reason = $3, decided_by = $4, decided_at = $5, version = version + 1 WHERE id = $1`,
          [r.id, d.decision, d.reason, p.id, at.toISOString()],
        );
        // a cancelled certificate can no longer be frozen: its freeze candidate goes off the list with it
        if (d.decision === 'confirmed' && r.kind === 'cancel') {
          const open = await q.query(`SELECT id FROM certificate_review WHERE certificate_id = $1 AND decision IS NULL`, [r.certificate_id]);
          await withdrawReviews(q, open.map((o) => o.id), at);
        }
        await appendAudit(q, {
          chain: desk.orgUnitId,
          actor: `staff:${p.id}`,
          action: `certificate_review.${d.decision === 'confirmed' ? 'confirm' : 'dismiss'}`,
          objectType: 'certificate_review',
          objectId: r.id,
          detail: { kind: r.kind, certificateId: r.certificate_id, moveId: r.move_id, decision: d.decision, reason: d.reason },
          at,
        });
        return { id: r.id, kind: r.kind, decision: d.decision, version: r.version + 1 };
      });
    },
  };
}
