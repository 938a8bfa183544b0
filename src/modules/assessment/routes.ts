/** ASMT-1 administration: new institutions, their designation, and doctors' qualifications. */
import { z } from 'zod';
import { isoDate } from '../../platform/schemas.js';
import type { AppContext } from '../../app-context.js';
import { invalid, notFound } from '../../domain/errors.js';
import type { Queryable } from '../../platform/db.js';
import type { HttpServer } from '../../platform/http.js';
import { appendAudit } from '../audit/audit-chain.js';
import { covers, scopePatterns, type StaffPrincipal } from '../auth/principal.js';
import { requireRole } from '../auth/sessions.js';
import { createOrgUnit } from '../org/org-units.js';
import { requireDivision } from '../org/divisions.js';
import { designate, designationOf, doctorsIn, institutionForCase, institutionsIn, qualificationOf, qualify, requireVersion, setContact } from './qualifications.js';

const day = isoDate;
const categories = z.array(z.number().int().min(1).max(6)).min(1).max(6);
const adminGrants = (s: StaffPrincipal) => s.grants.filter((g) => g.role === 'admin');
/** The version the editing screen loaded (null: there was no record); omitted, the save overwrites. */
const expectedVersion = z.string().regex(/^\d+$/).nullable().optional();

export function assessmentAdminRoutes(app: HttpServer, ctx: AppContext) {
  const audit = (q: Queryable, admin: StaffPrincipal, action: string, objectType: string, objectId: string, detail: Record<string, unknown>) =>
    appendAudit(q, { chain: adminGrants(admin)[0].orgUnitId, actor: `staff:${admin.id}`, action, objectType, objectId, detail, at: ctx.clock.now() });

  app.post('/api/admin/org-units', {
    schema: { tags: ['admin'], summary: '新建单位（如评定机构） Create an org unit (e.g. an institution)', body: z.object({ kind: z.enum(['federation', 'township', 'village', 'institution']), name: z.string().trim().min(2).max(100), divisionCode: z.string().regex(/^\d{2,12}$/) }) },
  }, async (req, reply) => {
    const admin = requireRole(req.principal, ['admin']);
    const id = await ctx.db.tx(async (q) => {
      const division = await requireDivision(q, req.body.divisionCode, 'divisionCode', req.body.kind === 'institution' ? 3 : 0);
      if (!covers(adminGrants(admin), division.path)) throw notFound({ zh: '区划', en: 'division' });
      if (req.body.kind === 'institution' && division.level !== 3) {
        throw invalid('org.institution_level', '评定机构须设在县（区）一级。', 'An assessment institution belongs to a county.', 'divisionCode');
      }
      const id = await createOrgUnit(q, req.body.kind, req.body.name, division.code);
      await audit(q, admin, 'org.create', 'org_unit', id, req.body);
      return id;
    });
    reply.status(201);
    return { id };
  });

  app.get('/api/admin/institutions', {
    schema: { tags: ['admin'], summary: '辖区内的评定机构及其指定 Institutions in my scope with their designation (ASMT-1)' },
  }, async (req) => institutionsIn(ctx.db, scopePatterns(adminGrants(requireRole(req.principal, ['admin']))), ctx.clock.today()));

  app.get('/api/admin/doctors', {
    schema: { tags: ['admin'], summary: '辖区内的评定医生及其资质 Doctors in my scope with their qualification (ASMT-1)' },
  }, async (req) => doctorsIn(ctx.db, scopePatterns(adminGrants(requireRole(req.principal, ['admin']))), ctx.clock.today()));

  app.put('/api/admin/institutions/:id/designation', {
    schema: { tags: ['admin'], summary: '指定评定机构及可评类别 Designate an institution (ASMT-1)', params: z.object({ id: z.string().uuid() }), body: z.object({ categories, validFrom: day, validUntil: day, expectedVersion }) },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    if (req.body.validUntil < req.body.validFrom) throw invalid('designation.dates', '有效期结束日期早于开始日期。', 'The designation ends before it starts.', 'validUntil');
    await ctx.db.tx(async (q) => {
      const [org] = await q.query(`SELECT path FROM org_unit WHERE id = $1 AND kind = 'institution'`, [req.params.id]);
      if (!org || !covers(adminGrants(admin), org.path)) throw notFound({ zh: '评定机构', en: 'institution' });
      await requireVersion(q, 'institution_designation', req.params.id, req.body.expectedVersion);
      const { expectedVersion: _, ...designation } = req.body;
      await designate(q, req.params.id, designation);
      await audit(q, admin, 'institution.designate', 'org_unit', req.params.id, designation);
    });
    return designationOf(ctx.db, req.params.id);
  });

  // NEW-2: the institution's address, phone and opening hours, which the applicant is told at acceptance
  app.put('/api/admin/institutions/:id/contact', {
    schema: {
      tags: ['admin'],
      summary: '评定机构地址、电话、办公时间 An institution’s address, phone and opening hours (NEW-2)',
      params: z.object({ id: z.string().uuid() }),
      body: z.object({
        address: z.string().trim().min(4).max(200),
        phone: z.string().trim().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'phone: 11-digit mobile or area code + number / 手机号11位或区号加座机号'),
        hours: z.string().trim().min(2).max(200),
      }),
    },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    await ctx.db.tx(async (q) => {
      const [org] = await q.query(`SELECT path FROM org_unit WHERE id = $1 AND kind = 'institution'`, [req.params.id]);
      if (!org || !covers(adminGrants(admin), org.path)) throw notFound({ zh: '评定机构', en: 'institution' });
      await setContact(q, req.params.id, req.body);
      await audit(q, admin, 'institution.contact', 'org_unit', req.params.id, req.body);
    });
    return (await institutionForCase(ctx.db, req.params.id))!;
  });

  app.put('/api/admin/doctors/:id/qualification', {
    schema: {
      tags: ['admin'],
      summary: '医生资质（培训证、可评类别、在职/退休） A doctor’s qualification (ASMT-1)',
      params: z.object({ id: z.string().uuid() }),
      body: z.object({ title: z.string().trim().min(2).max(30), trainingCertNo: z.string().trim().min(4).max(40), trainingDate: day, trainingExpires: day, categories, status: z.enum(['active', 'retired']), expectedVersion }),
    },
  }, async (req) => {
    const admin = requireRole(req.principal, ['admin']);
    if (req.body.trainingExpires < req.body.trainingDate) {
      throw invalid('qualification.dates', '培训合格证有效期截止日期早于培训日期。', 'The training certificate expires before the training date.', 'trainingExpires');
    }
    await ctx.db.tx(async (q) => {
      const [doctor] = await q.query(
        `SELECT o.path FROM role_grant g JOIN org_unit o ON o.id = g.org_unit_id WHERE g.user_id = $1 AND g.role = 'doctor'`,
        [req.params.id],
      );
      if (!doctor || !covers(adminGrants(admin), doctor.path)) throw notFound({ zh: '医生', en: 'doctor' });
      await requireVersion(q, 'doctor_qualification', req.params.id, req.body.expectedVersion);
      const { expectedVersion: _, ...qualification } = req.body;
      await qualify(q, req.params.id, qualification);
      await audit(q, admin, 'doctor.qualify', 'staff_user', req.params.id, qualification);
    });
    return qualificationOf(ctx.db, req.params.id);
  });
}
