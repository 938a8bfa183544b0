/** Case endpoints: apply, read, history, the one generic action endpoint, the MAT-2 notice, worklists. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { MATTERS } from '../../domain/workflow/registry.js';
import { mermaidDiagram } from '../../domain/workflow/diagram.js';
import { once } from '../../platform/idempotency.js';
import type { HttpServer } from '../../platform/http.js';
import { principalKey, type Principal } from '../auth/principal.js';
import { requireStaff, unauthenticated } from '../auth/sessions.js';
import { runAction } from './actions.js';
import { applicationSchema, openApplication } from './application.js';
import { certificateApplicationSchema, openCertificateApplication } from './certificate-application.js';
import { caseHistory, caseView, searchCases, worklist } from './queries.js';

const idempotencyHeader = z.object({ 'idempotency-key': z.string().optional() }).passthrough();
const loggedIn = (p: Principal | null): Principal => {
  if (!p) throw unauthenticated();
  return p;
};

export function caseRoutes(app: HttpServer, ctx: AppContext) {
  app.post('/api/cases', {
    schema: {
      tags: ['cases'],
      summary: '提交申请（窗口或网上） File an application (on-site or online)',
      description: 'NEW takes the applicant and the categories; the other matters take the holder’s ID number and act on their certificate.',
      body: z.discriminatedUnion('matter', [applicationSchema, certificateApplicationSchema]),
      headers: idempotencyHeader,
    },
  }, async (req, reply) => {
    const p = loggedIn(req.principal);
    const out = await once(ctx.db, principalKey(p), req.headers['idempotency-key'], req.body, async (q) => {
      const { caseId, missing } = req.body.matter === 'new' ? await openApplication(ctx, q, p, req.body) : await openCertificateApplication(ctx, q, p, req.body);
      return { status: 201, body: { id: caseId, missingMaterials: missing.map((m) => ({ code: m.code, ...m.label })) } };
    });
    if (out.replayed) reply.header('idempotent-replay', 'true');
    reply.status(out.status);
    return { ...out.body, case: await caseView(ctx, p, out.body.id) };
  });

  app.get('/api/cases', {
    schema: { tags: ['cases'], summary: '按身份证号或姓名查找案件 Find cases by ID number or exact name', querystring: z.object({ q: z.string().trim().min(2).max(50) }) },
  }, async (req) => ({ items: await searchCases(ctx, requireStaff(req.principal), req.query.q) }));

  app.get('/api/cases/:id', { schema: { tags: ['cases'], summary: '案件详情 A case', params: z.object({ id: z.string() }) } }, async (req) =>
    caseView(ctx, loggedIn(req.principal), req.params.id),
  );

  app.get('/api/cases/:id/history', { schema: { tags: ['cases'], summary: '办理过程 Case history', params: z.object({ id: z.string() }) } }, async (req) =>
    caseHistory(ctx, loggedIn(req.principal), req.params.id),
  );

  app.post('/api/cases/:id/actions/:action', {
    schema: {
      tags: ['cases'],
      summary: '执行办理操作 Take a workflow action',
      description: 'One transaction: jurisdiction, expected version (409 if stale), permission, guards, state change, history, audit. Send Idempotency-Key to make retries safe.',
      params: z.object({ id: z.string(), action: z.string().regex(/^[a-z_]{2,40}$/) }),
      body: z.object({ expectedVersion: z.number().int().positive(), input: z.record(z.string(), z.unknown()).default({}) }),
      headers: idempotencyHeader,
    },
  }, async (req, reply) => {
    const p = loggedIn(req.principal);
    const { id, action } = req.params;
    const out = await once(ctx.db, principalKey(p), req.headers['idempotency-key'], { id, action, body: req.body }, async (q) => {
      const d = await runAction(ctx, q, p, id, action, req.body.expectedVersion, req.body.input);
      return { status: 200, body: { id, action, from: d.from, to: d.to, version: req.body.expectedVersion + 1 } };
    });
    if (out.replayed) reply.header('idempotent-replay', 'true');
    return { ...out.body, case: await caseView(ctx, p, id) };
  });

  app.get('/api/cases/:id/notices/missing-materials', {
    schema: { tags: ['cases'], summary: '一次性告知单 The one-time notice of ALL missing materials (MAT-2)', params: z.object({ id: z.string() }) },
  }, async (req) => {
    const view = await caseView(ctx, loggedIn(req.principal), req.params.id);
    const notices = (view.data.notices ?? []).filter((n: any) => n.kind === 'missing_materials');
    const [federation] = await ctx.db.query(`SELECT o.name FROM org_unit o JOIN case_file c ON o.path = c.accept_path WHERE c.id = $1 AND o.kind = 'federation' LIMIT 1`, [view.id]);
    return {
      caseNo: view.caseNo,
      applicant: view.applicant,
      acceptingCounty: view.acceptingCounty,
      issuedBy: federation?.name ?? view.acceptingCounty.fullName,
      // the latest notice as issued, and what is still missing now
      issued: notices.at(-1) ?? null,
      stillMissing: view.materials.missing,
      text: {
        zh: `案件 ${view.caseNo}：请补齐以下全部材料：${view.materials.missing.map((m: any) => m.zh).join('；') || '（无）'}。`,
        en: `Case ${view.caseNo}: please supply all of the following: ${view.materials.missing.map((m: any) => m.en).join('; ') || '(none)'}.`,
      },
    };
  });

  app.get('/api/worklist', {
    schema: {
      tags: ['cases'],
      summary: '我的待办 Cases waiting on me (SLA-2)',
      querystring: z.object({
        matter: z.string().optional(),
        state: z.string().optional(),
        overdue: z.enum(['true', 'false']).optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
      }),
    },
  }, async (req) => {
    const p = loggedIn(req.principal);
    if (req.query.matter && !MATTERS[req.query.matter]) {
      throw invalid('worklist.matter', `未知事项“${req.query.matter}”。`, `Unknown matter "${req.query.matter}".`, 'matter');
    }
    return worklist(ctx, p, { ...req.query, overdue: req.query.overdue === 'true' });
  });

  app.get('/api/workflows/:matter', {
    schema: { tags: ['workflows'], summary: '事项流程定义与流程图 A matter’s workflow and its Mermaid diagram', security: [], params: z.object({ matter: z.string() }), querystring: z.object({ lang: z.enum(['zh', 'en']).default('zh') }) },
  }, async (req) => {
    const m = MATTERS[req.params.matter];
    if (!m) throw new DomainError('not_found', 'matter.unknown', { zh: `没有“${req.params.matter}”这一事项。`, en: `No matter "${req.params.matter}".` });
    return {
      code: m.code,
      label: m.label,
      initial: m.initial,
      states: m.states,
      actions: Object.fromEntries(Object.entries(m.actions).map(([k, a]) => [k, { label: a.label, from: a.from, side: a.side, roles: a.roles, documents: a.documents ?? [], effects: a.effects ?? [] }])),
      mermaid: mermaidDiagram(m, req.query.lang),
    };
  });
}
