/**
 * SEC-5 data-sharing agreements as records that change state. Each transition runs the way every
 * state change does (ARCHITECTURE: one transaction; permission and jurisdiction, 404 outside it;
 * expected version, 409 when stale; the new state; a history event; an audit entry; the caller's
 * Idempotency-Key) — `transition` is written to move onto the engine stream's common pipeline.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { conflict, DomainError, invalid, notFound } from '../../domain/errors.js';
import { AGREEMENT_STATES, AGREEMENT_TRANSITIONS, CHANNELS, effectiveState, PARTY_KINDS, SHARED_FIELDS, type AgreementAction, type AgreementState } from '../../domain/sharing.js';
import type { Queryable, Row } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import { covers, likePrefix, scopePatterns, type StaffGrant, type StaffPrincipal } from '../auth/principal.js';
import { requireRole } from '../auth/sessions.js';

/** Who deals with agreements: supervisors approve, administrators and supervisors draft and revoke, auditors read. */
export const AGREEMENT_ROLES = ['supervisor', 'admin', 'auditor'] as const;
const DRAFTERS = ['supervisor', 'admin'];

export type AgreementInput = {
  federationId?: string;
  party: string;
  partyKind: keyof typeof PARTY_KINDS;
  legalBasis: string;
  purpose: string;
  fields: (keyof typeof SHARED_FIELDS)[];
  channels: (keyof typeof CHANNELS)[];
  validFrom: string;
  validUntil: string;
};

const grantsIn = (staff: StaffPrincipal, roles: readonly string[]) => staff.grants.filter((g) => roles.includes(g.role));
const notFoundAgreement = () => notFound({ zh: '数据共享协议', en: 'data-sharing agreement' });

export function agreementView(r: Row, today: string) {
  const state = effectiveState({ state: r.state, validUntil: r.valid_until }, today);
  return {
    id: r.id as string,
    agreementNo: r.agreement_no as string,
    federation: { id: r.federation_id as string, name: r.federation_name as string },
    party: r.party as string,
    partyKind: { code: r.party_kind as string, ...PARTY_KINDS[r.party_kind as keyof typeof PARTY_KINDS] },
    legalBasis: r.legal_basis as string,
    purpose: r.purpose as string,
    fields: (r.fields as string[]).map((f) => ({ code: f, ...SHARED_FIELDS[f as keyof typeof SHARED_FIELDS] })),
    channels: (r.channels as string[]).map((c) => ({ code: c, ...CHANNELS[c as keyof typeof CHANNELS] })),
    validFrom: r.valid_from as string,
    validUntil: r.valid_until as string,
    state: { code: state, ...AGREEMENT_STATES[state] },
    version: r.version as number,
    createdBy: r.created_by_name as string,
    approvedBy: (r.approved_by_name as string | null) ?? null,
    approvedAt: r.approved_at ? new Date(r.approved_at).toISOString() : null,
  };
}

const SELECT = `SELECT a.*, o.name AS federation_name, cu.display_name AS created_by_name, au.display_name AS approved_by_name
  FROM sharing_agreement a JOIN org_unit o ON o.id = a.federation_id
  JOIN staff_user cu ON cu.id = a.created_by LEFT JOIN staff_user au ON au.id = a.approved_by`;

/** An agreement the caller may see (its federation inside their subtree), or 404 — a malformed id alike. */
export async function visibleAgreement(q: Queryable, staff: StaffPrincipal, id: string, forUpdate = false): Promise<Row> {
  const rows = /^[0-9a-f-]{36}$/i.test(id) ? await q.query(`${SELECT} WHERE a.id = $1${forUpdate ? ' FOR UPDATE OF a' : ''}`, [id]) : [];
  if (!rows[0] || !covers(grantsIn(staff, AGREEMENT_ROLES), rows[0].federation_path)) throw notFoundAgreement();
  return rows[0];
}

export async function listAgreements(ctx: AppContext, staff: StaffPrincipal) {
  const reader = requireRole(staff, AGREEMENT_ROLES);
  const rows = await ctx.db.query(`${SELECT} WHERE a.federation_path LIKE ANY($1) ORDER BY a.created_at DESC LIMIT 500`, [scopePatterns(grantsIn(reader, AGREEMENT_ROLES))]);
  return rows.map((r) => agreementView(r, ctx.clock.today()));
}

/** The federation an agreement covers: the one asked for (inside the drafter's subtree) or the drafter's own. */
async function federationFor(q: Queryable, grants: StaffGrant[], federationId?: string) {
  if (!federationId) {
    const own = grants.find((g) => g.orgKind === 'federation');
    if (!own) throw invalid('agreement.federation', '请选择协议所涉的残联。', 'Choose the federation whose data the agreement covers.', 'federationId');
    return { id: own.orgUnitId, path: own.orgPath };
  }
  const [o] = /^[0-9a-f-]{36}$/i.test(federationId) ? await q.query(`SELECT id, path FROM org_unit WHERE id = $1 AND kind = 'federation' AND active`, [federationId]) : [];
  if (!o || !covers(grants, o.path)) throw notFound({ zh: '残联', en: 'federation' });
  return { id: o.id as string, path: o.path as string };
}

async function record(ctx: AppContext, q: Queryable, staff: StaffPrincipal, chain: string, agreementId: string, action: string, from: string | null, to: string, payload: Record<string, unknown>) {
  const at = ctx.clock.now();
  await q.query('INSERT INTO sharing_agreement_event (agreement_id, action, from_state, to_state, actor_id, at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)', [agreementId, action, from, to, staff.id, at.toISOString(), JSON.stringify(payload)]);
  await appendAudit(q, { chain, actor: `staff:${staff.id}`, action: `agreement.${action}`, objectType: 'sharing_agreement', objectId: agreementId, detail: { from, to, ...payload }, at });
}

/** A new agreement, as a draft awaiting a supervisor's approval. */
export async function draftAgreement(ctx: AppContext, q: Queryable, staff: StaffPrincipal, input: AgreementInput) {
  const drafter = requireRole(staff, DRAFTERS);
  if (input.validUntil < input.validFrom) throw invalid('agreement.period', '有效期结束日不能早于开始日。', 'The period ends before it begins.', 'validUntil');
  if (input.validUntil < ctx.clock.today()) throw invalid('agreement.period_past', '有效期已过，请核对日期。', 'The period is already over; check the dates.', 'validUntil');
  const grants = grantsIn(drafter, DRAFTERS);
  const federation = await federationFor(q, grants, input.federationId);
  const id = randomUUID();
  const code = federation.path.split('.').filter(Boolean).at(-1) ?? '000000';
  const agreementNo = `SA-${code}-${ctx.clock.today().slice(0, 4)}-${id.slice(0, 6).toUpperCase()}`;
  await q.query(
    `INSERT INTO sharing_agreement (id, agreement_no, federation_id, federation_path, party, party_kind, legal_basis, purpose, fields, channels, valid_from, valid_until, state, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $14)`,
    [id, agreementNo, federation.id, federation.path, input.party, input.partyKind, input.legalBasis, input.purpose, [...new Set(input.fields)], [...new Set(input.channels)], input.validFrom, input.validUntil, drafter.id, ctx.clock.now().toISOString()],
  );
  await record(ctx, q, drafter, federation.id, id, 'draft', null, 'draft', { agreementNo, party: input.party, fields: input.fields, channels: input.channels, validFrom: input.validFrom, validUntil: input.validUntil });
  return id;
}

/**
 * One transition of an agreement (AGREEMENT_TRANSITIONS): jurisdiction (404), role (403), expected
 * version (409 when stale), the state the action needs (409), four eyes on approval (403), then the
 * new state, its history event and its audit entry — all in the caller's transaction.
 */
export async function transition(ctx: AppContext, q: Queryable, staff: StaffPrincipal, id: string, action: AgreementAction, expectedVersion: number, reason: string) {
  const t = AGREEMENT_TRANSITIONS[action];
  const row = await visibleAgreement(q, staff, id, true);
  const actor = requireRole(staff, t.roles);
  if (!covers(grantsIn(actor, t.roles), row.federation_path)) {
    throw new DomainError('forbidden', 'agreement.role', { zh: `您在该残联没有“${t.label.zh}”协议的权限。`, en: `You may not ${t.label.en.toLowerCase()} agreements of that federation.` });
  }
  if (row.version !== expectedVersion) throw conflict('agreement.stale_version', '该协议已被他人修改，本次操作未生效。请刷新后重试。', 'Someone else changed the agreement; nothing was changed. Reload and retry.');
  const from = row.state as AgreementState;
  if (!(t.from as readonly string[]).includes(from)) {
    throw conflict('agreement.illegal_action', `协议当前为“${AGREEMENT_STATES[from].zh}”，不能${t.label.zh}。`, `The agreement is ${AGREEMENT_STATES[from].en.toLowerCase()}; it cannot be ${action}d.`);
  }
  if (action === 'approve' && row.created_by === actor.id) {
    throw new DomainError('forbidden', 'agreement.four_eyes', { zh: '协议须由起草人以外的督导人员批准。', en: 'An agreement is approved by a supervisor other than the one who drafted it.' });
  }
  const now = ctx.clock.now().toISOString();
  await q.query(
    `UPDATE sharing_agreement SET state = $2, version = version + 1,
       approved_by = CASE WHEN $3 = 'approve' THEN $4::uuid ELSE approved_by END, approved_at = CASE WHEN $3 = 'approve' THEN $5::timestamptz ELSE approved_at END,
       revoked_by = CASE WHEN $3 = 'revoke' THEN $4::uuid ELSE revoked_by END, revoked_at = CASE WHEN $3 = 'revoke' THEN $5::timestamptz ELSE revoked_at END
     WHERE id = $1`,
    [row.id, t.to, action, actor.id, now],
  );
  if (action === 'revoke') await q.query('UPDATE partner_client SET revoked_at = $2 WHERE agreement_id = $1 AND revoked_at IS NULL', [row.id, now]);
  await record(ctx, q, actor, row.federation_id, row.id, action, from, t.to, { reason });
  return { id: row.id as string, from, to: t.to, version: expectedVersion + 1 };
}

export async function agreementHistory(ctx: AppContext, staff: StaffPrincipal, id: string) {
  const row = await visibleAgreement(ctx.db, requireRole(staff, AGREEMENT_ROLES), id);
  const rows = await ctx.db.query(
    `SELECT e.action, e.from_state, e.to_state, e.at, e.payload, u.display_name FROM sharing_agreement_event e JOIN staff_user u ON u.id = e.actor_id WHERE e.agreement_id = $1 ORDER BY e.id`,
    [row.id],
  );
  return rows.map((r) => ({ action: r.action, from: r.from_state, to: r.to_state, at: new Date(r.at).toISOString(), by: r.display_name, reason: r.payload?.reason ?? null }));
}

/** LIKE pattern for persons in an agreement's federation. */
export const agreementScope = (row: Row) => likePrefix(row.federation_path);
