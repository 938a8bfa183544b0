/** SEC-5 endpoints for staff: agreements (draft, approve, revoke), partner credentials, and the spreadsheet export under an agreement. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { errorResponses } from '../../platform/http-errors.js';
import type { AppContext } from '../../app-context.js';
import { CHANNEL_CODES, PARTY_KINDS, SHARED_FIELD_CODES, SHARED_FIELDS, type SharedField } from '../../domain/sharing.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { HttpServer } from '../../platform/http.js';
import { once } from '../../platform/idempotency.js';
import { isoDate } from '../../platform/schemas.js';
import { XLSX_MIME, xlsx } from '../../platform/xlsx.js';
import { appendAudit } from '../audit/audit-chain.js';
import { principalKey } from '../auth/principal.js';
import { requireRole, requireStaff } from '../auth/sessions.js';
import { agreementHistory, agreementView, draftAgreement, listAgreements, transition, visibleAgreement } from './agreements.js';
import { holderRecords, logDisclosure, requireInForce } from './disclosure.js';

const idParam = z.object({ id: z.string() });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional() }).passthrough();
/** A spreadsheet under an agreement carries at most this many holders; larger hand-overs go by the partner API. */
const MAX_EXPORT_ROWS = 50_000;

const bilingual = z.object({ zh: z.string(), en: z.string() });
const agreementSchema = z.object({
  id: z.string(), agreementNo: z.string(), federation: z.object({ id: z.string(), name: z.string() }), party: z.string(),
  partyKind: bilingual.extend({ code: z.string() }), legalBasis: z.string(), purpose: z.string(),
  fields: z.array(bilingual.extend({ code: z.string() })), channels: z.array(bilingual.extend({ code: z.string() })),
  validFrom: z.string(), validUntil: z.string(), state: bilingual.extend({ code: z.string() }), version: z.number(),
  createdBy: z.string(), approvedBy: z.string().nullable(), approvedAt: z.string().nullable(),
});

export function sharingRoutes(app: HttpServer, ctx: AppContext) {
  app.get('/api/agreements', {
    schema: { tags: ['sharing'], summary: '数据共享协议（辖区内） Data-sharing agreements in my jurisdiction (SEC-5)', operationId: 'listAgreements', response: { 200: z.object({ items: z.array(agreementSchema) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ items: await listAgreements(ctx, requireStaff(req.principal)) }));

  app.post('/api/agreements', {
    schema: {
      tags: ['sharing'],
      summary: '起草数据共享协议（待督导批准） Draft a data-sharing agreement; a supervisor approves it (SEC-5)',
      body: z.object({
        federationId: z.string().uuid().optional(),
        party: z.string().trim().min(2).max(100),
        partyKind: z.enum(Object.keys(PARTY_KINDS) as [keyof typeof PARTY_KINDS, ...(keyof typeof PARTY_KINDS)[]]),
        legalBasis: z.string().trim().min(4).max(500),
        purpose: z.string().trim().min(4).max(500),
        fields: z.array(z.enum(SHARED_FIELD_CODES)).min(1).max(SHARED_FIELD_CODES.length),
        channels: z.array(z.enum(CHANNEL_CODES)).min(1).max(CHANNEL_CODES.length),
        validFrom: isoDate,
        validUntil: isoDate,
      }),
      headers: idempotencyHeader,
      operationId: 'draftAgreement',
      response: { 201: agreementSchema, ...errorResponses(401, 403, 404, 422) },
    },
  }, async (req, reply) => {
    const staff = requireStaff(req.principal);
    const out = await once(ctx.db, principalKey(staff), req.headers['idempotency-key'], req.body, async (q) => ({ status: 201, body: { id: await draftAgreement(ctx, q, staff, req.body) } }));
    if (out.replayed) reply.header('idempotent-replay', 'true');
    reply.status(201);
    return agreementView(await visibleAgreement(ctx.db, staff, out.body.id), ctx.clock.today());
  });

  app.get('/api/agreements/:id', {
    schema: { tags: ['sharing'], summary: '协议详情与历史 An agreement and its history', params: idParam, operationId: 'getAgreement',
      response: {
        200: agreementSchema.extend({
          history: z.array(z.object({ action: z.string(), from: z.string().nullable(), to: z.string(), at: z.string(), by: z.string(), reason: z.string().nullable() })),
          clients: z.array(z.object({ clientId: z.string(), name: z.string(), createdAt: z.string(), revoked: z.boolean() })),
        }),
        ...errorResponses(401, 403, 404),
      },
    },
  }, async (req) => {
    const staff = requireStaff(req.principal);
    const row = await visibleAgreement(ctx.db, requireRole(staff, ['supervisor', 'admin', 'auditor']), req.params.id);
    const clients = await ctx.db.query('SELECT client_id, name, created_at, revoked_at FROM partner_client WHERE agreement_id = $1 ORDER BY created_at', [row.id]);
    return {
      ...agreementView(row, ctx.clock.today()),
      history: await agreementHistory(ctx, staff, row.id),
      clients: clients.map((c) => ({ clientId: c.client_id, name: c.name, createdAt: new Date(c.created_at).toISOString(), revoked: Boolean(c.revoked_at) })),
    };
  });

  app.post('/api/agreements/:id/:action', {
    schema: {
      tags: ['sharing'],
      summary: '批准或撤销协议 Approve or revoke an agreement (version check, history, audit)',
      params: idParam.extend({ action: z.enum(['approve', 'revoke']) }),
      body: z.object({ expectedVersion: z.number().int().positive(), reason: z.string().trim().min(2).max(300) }),
      headers: idempotencyHeader,
      operationId: 'agreementTransition',
      response: { 200: z.object({ id: z.string(), from: z.string(), to: z.string(), version: z.number(), agreement: agreementSchema }), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const staff = requireStaff(req.principal);
    const { id, action } = req.params;
    const out = await once(ctx.db, principalKey(staff), req.headers['idempotency-key'], { id, action, body: req.body }, async (q) => ({
      status: 200, body: await transition(ctx, q, staff, id, action, req.body.expectedVersion, req.body.reason),
    }));
    if (out.replayed) reply.header('idempotent-replay', 'true');
    return { ...out.body, agreement: agreementView(await visibleAgreement(ctx.db, staff, id), ctx.clock.today()) };
  });

  app.post('/api/agreements/:id/clients', {
    schema: {
      tags: ['sharing'],
      summary: '为合作单位签发接口凭据（密钥只显示一次） Issue API credentials to the partner (the secret is shown once)',
      params: idParam,
      body: z.object({ name: z.string().trim().min(2).max(100) }),
      operationId: 'issuePartnerClient',
      response: { 201: z.object({ clientId: z.string(), clientSecret: z.string() }), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const staff = requireRole(req.principal, ['supervisor', 'admin']);
    const result = await ctx.db.tx(async (q) => {
      const row = await visibleAgreement(q, staff, req.params.id, true);
      requireInForce(ctx, row, 'api');
      const clientId = `tbp_${randomToken().slice(0, 20)}`;
      const clientSecret = randomToken();
      await q.query('INSERT INTO partner_client (id, agreement_id, name, client_id, secret_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [randomUUID(), row.id, req.body.name, clientId, sha256Hex(clientSecret), staff.id, ctx.clock.now().toISOString()]);
      await appendAudit(q, { chain: row.federation_id, actor: `staff:${staff.id}`, action: 'agreement.issue_client', objectType: 'sharing_agreement', objectId: row.id, detail: { clientId, name: req.body.name }, at: ctx.clock.now() });
      return { clientId, clientSecret };
    });
    reply.status(201);
    return result;
  });

  app.get('/api/agreements/:id/export.xlsx', {
    schema: {
      tags: ['sharing'],
      summary: '按协议导出持证人表格（仅约定字段，逐人留痕） Spreadsheet of certificate holders under the agreement: agreed fields only, each person logged (SEC-5)',
      params: idParam,
      operationId: 'exportUnderAgreement',
      response: { 200: z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), ...errorResponses(401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    const staff = requireRole(req.principal, ['supervisor', 'admin']);
    const { row, records } = await ctx.db.tx(async (q) => {
      const row = await visibleAgreement(q, staff, req.params.id);
      requireInForce(ctx, row, 'spreadsheet');
      const records = await holderRecords(ctx, q, row, { limit: MAX_EXPORT_ROWS });
      await logDisclosure(ctx, q, row, { viewer: { kind: 'staff', id: staff.id, role: 'export' }, what: 'agreement_export', persons: records, detail: { rows: records.length } });
      await appendAudit(q, { chain: row.federation_id, actor: `staff:${staff.id}`, action: 'agreement.export', objectType: 'sharing_agreement', objectId: row.id, detail: { rows: records.length, fields: row.fields }, at: ctx.clock.now() });
      return { row, records };
    });
    const fields = (row.fields as SharedField[]).filter((f) => f !== 'archive_documents');
    const sheet = { name: '持证人 Holders', rows: [fields.map((f) => `${SHARED_FIELDS[f].zh} ${SHARED_FIELDS[f].en}`), ...records.map((r) => fields.map((f) => r[f] ?? null))], widths: fields.map(() => 18) };
    const name = `${row.agreement_no}-${ctx.clock.today()}.xlsx`;
    reply
      .header('content-type', XLSX_MIME)
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'private, no-store');
    return reply.send(Buffer.from(xlsx([sheet])));
  });
}
