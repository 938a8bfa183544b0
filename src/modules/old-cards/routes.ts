/** CARD-1 endpoints: the county's old-card register, batch destruction and its printable record. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { HttpServer } from '../../platform/http.js';
import { requireStaff } from '../auth/sessions.js';
import { confirmDestruction, destructionRecord, listOldCards, logHandedIn } from './old-cards.js';

const TAGS = ['old cards'];

export function oldCardRoutes(app: HttpServer, ctx: AppContext) {
  app.post('/api/old-cards', {
    schema: {
      tags: TAGS,
      summary: '登记案件外交回的旧证 Log a card handed in outside a case (CARD-1; county desk)',
      description: 'For a card handed in without a case (e.g. by the family after a death). The holder must live or be registered in the desk’s county, else 404. The certificate matters log the cards they collect themselves.',
      // the number is checked by the domain (parseCertificateNumber) so a wrong one gets a precise bilingual message
      body: z.object({ certificateNumber: z.string().max(40), cardNo: z.number().int().min(1).max(99).optional(), note: z.string().trim().max(500).optional() }),
    },
  }, async (req, reply) => {
    const p = requireStaff(req.principal);
    const logged = await ctx.db.tx((q) => logHandedIn(ctx, q, p, req.body));
    reply.status(201);
    return logged;
  });

  app.get('/api/old-cards', {
    schema: {
      tags: TAGS,
      summary: '本县（区）回收的旧证 My county’s old cards: held, due for destruction, or destroyed',
      description: 'held: kept, collected a year ago or less; due: collected more than a year ago (collectedOn + 1 year < today) and not destroyed; destroyed: with the destruction record. At most 500, oldest first (destroyed: newest record first).',
      querystring: z.object({ status: z.enum(['held', 'due', 'destroyed']).default('held') }),
    },
  }, async (req) => listOldCards(ctx, requireStaff(req.principal), req.query.status));

  app.post('/api/card-destructions', {
    schema: {
      tags: TAGS,
      summary: '确认批量销毁旧证 Confirm the destruction of a batch of old cards (CARD-1)',
      description: 'Every card must be due and not yet destroyed, else 422 naming the offending cards and nothing changes.',
      body: z.object({ certificateIds: z.array(z.string()).min(1).max(500), note: z.string().trim().max(500).default('') }),
    },
  }, async (req, reply) => {
    const p = requireStaff(req.principal);
    const id = await ctx.db.tx((q) => confirmDestruction(ctx, q, p, req.body.certificateIds, req.body.note));
    reply.status(201);
    return destructionRecord(ctx, p, id);
  });

  app.get('/api/card-destructions/:id', {
    schema: { tags: TAGS, summary: '旧证销毁记录（可打印） A destruction record, for printing', params: z.object({ id: z.string() }) },
  }, async (req) => destructionRecord(ctx, requireStaff(req.principal), req.params.id));
}
