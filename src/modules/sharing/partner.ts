/**
 * SEC-5 partner API: an agency (civil affairs, medical insurance, public security …) authenticates
 * with its own client id and secret (kept hashed) for a short-lived bearer token, and looks up
 * certificate holders of the agreement's federation — only the agreed fields, only within the
 * agreement's period, each lookup logged against the agreement. No session cookie is involved.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorResponses } from '../../platform/http-errors.js';
import type { AppContext } from '../../app-context.js';
import { parseCitizenId } from '../../domain/citizen-id.js';
import { DomainError } from '../../domain/errors.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { HttpServer } from '../../platform/http.js';
import type { Row } from '../../platform/db.js';
import { idIndex } from '../persons/persons.js';
import { holderRecords, logDisclosure, requireInForce } from './disclosure.js';

const TOKEN_SECONDS = 3600;
const partnerOnly = { auth: 'partner' };

const badClient = () => new DomainError('unauthenticated', 'partner.bad_credentials', { zh: '客户端标识或密钥错误，或凭据已撤销。', en: 'Wrong client id or secret, or the credentials were revoked.' });
const badToken = () => new DomainError('unauthenticated', 'partner.token', { zh: '缺少有效的访问令牌（Authorization: Bearer …），或令牌已过期。请重新获取。', en: 'No valid access token (Authorization: Bearer …), or it expired. Get a new one.' });

/** The partner client and its agreement behind a bearer token, or 401. */
async function partnerFrom(ctx: AppContext, req: FastifyRequest): Promise<{ client: Row; agreement: Row }> {
  const token = /^Bearer ([\w-]{20,100})$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token) throw badToken();
  const [row] = await ctx.db.query(
    `SELECT pc.id AS client_uuid, pc.name AS client_name, a.* FROM partner_token t JOIN partner_client pc ON pc.id = t.client_id JOIN sharing_agreement a ON a.id = pc.agreement_id
     WHERE t.token_hash = $1 AND t.expires_at > $2 AND pc.revoked_at IS NULL`,
    [sha256Hex(token), ctx.clock.now().toISOString()],
  );
  if (!row) throw badToken();
  return { client: { id: row.client_uuid, name: row.client_name }, agreement: row };
}

export function partnerRoutes(app: HttpServer, ctx: AppContext) {
  app.post('/api/partner/token', {
    config: partnerOnly,
    schema: {
      tags: ['partner'],
      summary: '合作单位获取访问令牌 A partner agency gets an access token (client credentials)',
      body: z.object({ clientId: z.string().min(10).max(60), clientSecret: z.string().min(20).max(100) }),
      security: [],
      operationId: 'partnerToken',
      response: { 200: z.object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number() }), ...errorResponses(401, 409, 422) },
    },
  }, async (req) => {
    const [c] = await ctx.db.query(
      `SELECT a.*, pc.id AS client_uuid, pc.secret_hash FROM partner_client pc JOIN sharing_agreement a ON a.id = pc.agreement_id WHERE pc.client_id = $1 AND pc.revoked_at IS NULL`,
      [req.body.clientId],
    );
    // the secret is 32 random bytes: a hash comparison suffices, and an unknown client costs the same
    const given = sha256Hex(req.body.clientSecret);
    if (!c || c.secret_hash !== given) throw badClient();
    requireInForce(ctx, c, 'api');
    const accessToken = randomToken();
    await ctx.db.query('INSERT INTO partner_token (token_hash, client_id, expires_at) VALUES ($1, $2, $3)', [sha256Hex(accessToken), c.client_uuid, new Date(ctx.clock.now().getTime() + TOKEN_SECONDS * 1000).toISOString()]);
    return { accessToken, tokenType: 'Bearer' as const, expiresIn: TOKEN_SECONDS };
  });

  app.get('/api/partner/certificates', {
    config: partnerOnly,
    schema: {
      tags: ['partner'],
      summary: '合作单位按身份证号查询持证情况（仅约定字段） A partner looks up a certificate holder by ID number: agreed fields only (SEC-5)',
      querystring: z.object({ idNumber: z.string().trim().min(15).max(18) }),
      security: [{ partnerToken: [] }],
      operationId: 'partnerCertificateLookup',
      response: { 200: z.object({ agreementNo: z.string(), items: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) }), ...errorResponses(401, 403, 409, 422) },
    },
  }, async (req) => {
    const { client, agreement } = await partnerFrom(ctx, req);
    requireInForce(ctx, agreement, 'api');
    const idNumber = parseCitizenId(req.query.idNumber).id;
    const items = await ctx.db.tx(async (q) => {
      const records = await holderRecords(ctx, q, agreement, { idBidx: idIndex(ctx.crypto, idNumber), limit: 1 });
      await logDisclosure(ctx, q, agreement, { viewer: { kind: 'partner', id: client.id, role: 'partner' }, what: 'partner_disclosure', persons: records, detail: { lookup: 'idNumber' } });
      return records.map(({ personId: _p, paths: _q, ...fields }) => fields);
    });
    return { agreementNo: agreement.agreement_no, items };
  });
}
