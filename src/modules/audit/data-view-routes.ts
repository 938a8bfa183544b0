/** SEC-1 who viewed what: the list for supervisors and auditors (their subtree), and the applicant's own (PIPL's right to know). */
import { z } from 'zod';
import { errorResponses } from '../../platform/http-errors.js';
import type { AppContext } from '../../app-context.js';
import { parseCitizenId } from '../../domain/citizen-id.js';
import { invalid } from '../../domain/errors.js';
import type { HttpServer } from '../../platform/http.js';
import { isoDate } from '../../platform/schemas.js';
import { scopePatterns } from '../auth/principal.js';
import { requireRole, unauthenticated } from '../auth/sessions.js';
import { idIndex, maskName } from '../persons/persons.js';

const WHAT = ['person_record', 'archive_document', 'archive_export', 'case_document', 'visit_list', 'partner_disclosure', 'agreement_export', 'card_print'] as const;
const READERS = ['supervisor', 'auditor'];

/** China-time day boundaries for a period of dates. */
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString();
const dayAfter = (d: string) => new Date(new Date(`${d}T00:00:00+08:00`).getTime() + 86400_000).toISOString();

const viewItem = z.object({
  at: z.string(),
  what: z.enum(WHAT),
  purpose: z.string(),
  viewer: z.object({ kind: z.enum(['staff', 'partner']), id: z.string(), name: z.string(), username: z.string().nullable(), role: z.string() }),
  federation: z.object({ id: z.string(), name: z.string() }),
  subject: z.object({ personId: z.string().nullable(), caseId: z.string().nullable(), caseNo: z.string().nullable(), idNumberMasked: z.string().nullable(), nameMasked: z.string().nullable() }),
  agreementId: z.string().nullable(),
});

export function dataViewRoutes(app: HttpServer, ctx: AppContext) {
  app.get('/api/data-views', {
    schema: {
      tags: ['audit'],
      summary: '个人信息查阅记录（督导、审计，辖区内） Who viewed whose personal data, in my jurisdiction (SEC-1)',
      querystring: z.object({
        staff: z.string().trim().min(1).max(64).optional(),
        idNumber: z.string().trim().min(15).max(18).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        page: z.coerce.number().int().min(1).max(10_000).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(50),
      }),
      operationId: 'listDataViews',
      response: { 200: z.object({ items: z.array(viewItem), total: z.number(), page: z.number(), pageSize: z.number() }), ...errorResponses(401, 403, 422) },
    },
  }, async (req) => {
    const reader = requireRole(req.principal, READERS);
    const { staff, idNumber, from, to, page, pageSize } = req.query;
    if (from && to && from > to) throw invalid('data_views.period', '开始日期晚于结束日期。', 'The start date is after the end date.', 'from');
    const scope = scopePatterns(reader.grants.filter((g) => READERS.includes(g.role)));
    const personBidx = idNumber ? idIndex(ctx.crypto, parseCitizenId(idNumber).id) : null;
    const rows = await ctx.db.query(
      `SELECT v.at, v.what, v.purpose, v.viewer_kind, v.viewer_id, v.viewer_role, v.viewer_org_id, o.name AS org_name, v.person_id, v.case_id, v.agreement_id,
              u.display_name, u.username, pc.name AS partner_name, p.id_masked, p.name_enc, c.case_no, c.applicant_masked, c.applicant_name_masked,
              count(*) OVER ()::int AS total
       FROM personal_data_view v
       JOIN org_unit o ON o.id = v.viewer_org_id
       LEFT JOIN staff_user u ON v.viewer_kind = 'staff' AND u.id = v.viewer_id
       LEFT JOIN partner_client pc ON v.viewer_kind = 'partner' AND pc.id = v.viewer_id
       LEFT JOIN person p ON p.id = v.person_id
       LEFT JOIN case_file c ON c.id = v.case_id
       WHERE (o.path LIKE ANY($1) OR EXISTS (SELECT 1 FROM unnest(v.subject_paths) sp WHERE sp LIKE ANY($1)))
         AND ($2::text IS NULL OR u.username = $2)
         AND ($3::text IS NULL OR p.id_bidx = $3 OR c.applicant_bidx = $3)
         AND ($4::timestamptz IS NULL OR v.at >= $4) AND ($5::timestamptz IS NULL OR v.at < $5)
       ORDER BY v.at DESC, v.id DESC LIMIT $6 OFFSET $7`,
      [scope, staff?.toLowerCase() ?? null, personBidx, from ? dayStart(from) : null, to ? dayAfter(to) : null, pageSize, (page - 1) * pageSize],
    );
    return {
      total: rows[0]?.total ?? 0,
      page,
      pageSize,
      items: rows.map((r) => ({
        at: new Date(r.at).toISOString(),
        what: r.what,
        purpose: r.purpose,
        viewer: { kind: r.viewer_kind, id: r.viewer_id, name: r.display_name ?? r.partner_name ?? '', username: r.username ?? null, role: r.viewer_role },
        federation: { id: r.viewer_org_id, name: r.org_name },
        subject: {
          personId: r.person_id, caseId: r.case_id, caseNo: r.case_no ?? null,
          idNumberMasked: r.id_masked ?? r.applicant_masked ?? null,
          nameMasked: r.name_enc ? maskName(ctx.crypto.decrypt(r.name_enc)) : (r.applicant_name_masked ?? null),
        },
        agreementId: r.agreement_id,
      })),
    };
  });

  app.get('/api/applicant/data-views', {
    schema: {
      tags: ['applicant'],
      summary: '谁查看了我的信息 Which federations (or partner agencies) viewed my file, and when (SEC-1, PIPL)',
      operationId: 'myDataViews',
      response: { 200: z.object({ items: z.array(z.object({ at: z.string(), what: z.enum(WHAT), purpose: z.string(), by: z.string(), caseNo: z.string().nullable() })) }), ...errorResponses(401) },
    },
  }, async (req) => {
    const p = req.principal;
    if (!p) throw unauthenticated();
    if (p.kind !== 'applicant') return { items: [] };
    const rows = await ctx.db.query(
      `SELECT v.at, v.what, v.purpose, o.name AS org_name, pc.name AS partner_name, c.case_no
       FROM personal_data_view v
       JOIN org_unit o ON o.id = v.viewer_org_id
       LEFT JOIN partner_client pc ON v.viewer_kind = 'partner' AND pc.id = v.viewer_id
       LEFT JOIN case_file c ON c.id = v.case_id
       WHERE v.case_id IN (SELECT id FROM case_file WHERE applicant_account_id = $1)
          OR v.person_id IN (SELECT person_id FROM case_file WHERE applicant_account_id = $1 AND person_id IS NOT NULL)
       ORDER BY v.at DESC, v.id DESC LIMIT 200`,
      [p.id],
    );
    return { items: rows.map((r) => ({ at: new Date(r.at).toISOString(), what: r.what, purpose: r.purpose, by: r.partner_name ? `${r.partner_name}（经${r.org_name}）` : r.org_name, caseNo: r.case_no ?? null })) };
  });
}
