/** ASMT-3 endpoints: draw a sample, list and read samples, record findings, per-doctor statistics. */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { FINDINGS, FOLLOW_UPS } from '../../domain/sampling.js';
import type { HttpServer } from '../../platform/http.js';
import { isoDate } from '../../platform/schemas.js';
import { samplingService } from './sampling.js';

// a real date (2026-02-30 is refused by the schema, naming the field); the domain checks the period's order
const day = isoDate;
const countyCode = z.string().regex(/^\d{6}$/, 'county code: 6 digits / 县级区划代码为6位数字');
// size and percent are checked by the domain (checkSampleRequest) so a wrong value gets a precise bilingual message
const drawBody = z.object({
  kind: z.enum(['assessment', 'certificate']),
  countyCode: countyCode.optional(),
  institutionId: z.string().uuid().optional(),
  doctorId: z.string().uuid().optional(),
  from: day,
  to: day,
  size: z.number().optional(),
  percent: z.number().optional(),
  seed: z.string().trim().min(1).max(64).optional(),
});

export function samplingRoutes(app: HttpServer, ctx: AppContext) {
  const samples = samplingService(ctx);

  app.post('/api/samples', {
    schema: {
      tags: ['sampling'],
      summary: '抽取抽查样本（督导、审计） Draw an audit sample (ASMT-3; supervisor, auditor)',
      description: 'Seeded and reproducible: the same seed over the same population gives the same items. Without a seed one is generated and stored with the sample.',
      body: drawBody,
    },
  }, async (req, reply) => {
    const sample = await samples.draw(req.principal, req.body);
    reply.status(201);
    return sample;
  });

  app.get('/api/samples', { schema: { tags: ['sampling'], summary: '辖区内的抽查样本 Audit samples in my jurisdiction' } }, async (req) => samples.list(req.principal));

  app.get('/api/samples/:id', {
    schema: { tags: ['sampling'], summary: '抽查样本及各项（脱敏） An audit sample and its items, masked', params: z.object({ id: z.string() }) },
  }, async (req) => samples.get(req.principal, req.params.id));

  app.put('/api/samples/:id/items/:seq', {
    schema: {
      tags: ['sampling'],
      summary: '记录抽查项的核查结论 Record the finding on a sample item',
      description: 'A follow-up (re-assessment ordered, certificate cancelled) records the decision only; it does not start the re-assessment or cancel the certificate. 409 when `version` is stale.',
      params: z.object({ id: z.string(), seq: z.coerce.number().int().min(1) }),
      body: z.object({ finding: z.enum(FINDINGS), followUp: z.enum(FOLLOW_UPS).default('none'), note: z.string().max(1000).default(''), version: z.number().int().positive() }),
    },
  }, async (req) => samples.recordFinding(req.principal, req.params.id, req.params.seq, req.body));

  app.get('/api/doctor-statistics', {
    schema: {
      tags: ['sampling'],
      summary: '评定医生统计（等级分布、不一致率） Per-doctor assessment statistics (ASMT-3)',
      querystring: z.object({ from: day, to: day, countyCode: countyCode.optional() }),
    },
  }, async (req) => samples.statistics(req.principal, req.query));
}
