/**
 * Issue 11 item 6: every worklist and report downloads as .xlsx, with the headers in Chinese first
 * (then English, as the home-assessment report prints them). Each export runs the very query its
 * page shows, under the same checks, and carries what the page carries: masked names, ID numbers
 * and certificate numbers only (SEC-1) — so an export is no disclosure of its own and is not
 * audit-logged, like the list it copies. Free-text notes are left out for the same reason.
 */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { CERTIFICATE_STATES } from '../../domain/certificates.js';
import { chinaDate } from '../../platform/clock.js';
import type { HttpServer } from '../../platform/http.js';
import { isoDate } from '../../platform/schemas.js';
import { XLSX_MIME, xlsx, type Cell, type Sheet } from '../../platform/xlsx.js';
import { missedLogins } from '../auth/login-report.js';
import { requireStaff, unauthenticated } from '../auth/sessions.js';
import { worklist } from '../cases/queries.js';
import { listOldCards } from '../old-cards/old-cards.js';
import { DUPLICATE_STATUSES, duplicateService } from '../persons/duplicates.js';
import { samplingService } from '../sampling/sampling.js';
import { MATTERS } from '../../domain/workflow/registry.js';
import { invalid, type Bilingual } from '../../domain/errors.js';

/** A whole list in one file, as far as a spreadsheet stays workable; the rest is a filter away. */
export const EXPORT_ROWS = 5000;

const day = (at: string | Date | null | undefined) => (at ? chinaDate(new Date(at)) : null);
const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

const WAITING: Record<string, Bilingual> = {
  residence: { zh: '受理地县级残联', en: 'Accepting county federation' },
  hukou: { zh: '户籍地县级残联', en: 'Hukou county federation' },
  origin: { zh: '原户籍地县级残联', en: 'Former hukou county federation' },
  institution: { zh: '评定机构', en: 'Assessment institution' },
  applicant: { zh: '申请人或监护人', en: 'Applicant or guardian' },
};
const OLD_CARD_STATUS: Record<string, Bilingual> = { held: { zh: '保管中', en: 'Held' }, due: { zh: '待销毁', en: 'Due for destruction' }, destroyed: { zh: '已销毁', en: 'Destroyed' } };
const DUPLICATE_STATUS: Record<string, Bilingual> = {
  open: { zh: '待核实', en: 'Open' },
  same_person_merged: { zh: '同一人，已合并', en: 'Same person, merged' },
  different_persons: { zh: '不同人', en: 'Different persons' },
  rejected: { zh: '已驳回', en: 'Rejected' },
};
const DUPLICATE_KIND: Record<string, Bilingual> = { legacy_import: { zh: '存量导入身份证号已在册', en: 'Legacy row, ID on file' }, near_match: { zh: '姓名和出生日期相同', en: 'Same name and birth date' } };
const FLAGS: Record<string, Bilingual> = { disagreement: { zh: '不一致率偏高', en: 'High disagreement' }, severe: { zh: '一二级占比偏高', en: 'High share of levels 1–2' } };

/** The workbook as a download: an ASCII name for old clients, the Chinese one (RFC 5987) for the others. */
function send(reply: any, name: { en: string; zh: string }, sheets: Sheet[]) {
  reply
    .header('content-type', XLSX_MIME)
    .header('content-disposition', `attachment; filename="${name.en}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${name.zh}.xlsx`)}`)
    .header('cache-control', 'private, no-store');
  return reply.send(Buffer.from(xlsx(sheets)));
}

export function exportRoutes(app: HttpServer, ctx: AppContext) {
  const samples = samplingService(ctx);
  const duplicates = duplicateService(ctx);

  app.get('/api/worklist.xlsx', {
    schema: {
      tags: ['cases'],
      summary: '我的待办导出 Excel（脱敏） My worklist as .xlsx, masked (SLA-2)',
      description: `The same filters as /api/worklist; the first ${EXPORT_ROWS} cases in the list's order.`,
      querystring: z.object({ matter: z.string().optional(), state: z.string().optional(), overdue: z.enum(['true', 'false']).optional() }),
    },
  }, async (req, reply) => {
    if (!req.principal) throw unauthenticated();
    if (req.query.matter && !MATTERS[req.query.matter]) {
      throw invalid('worklist.matter', `未知事项“${req.query.matter}”。`, `Unknown matter "${req.query.matter}".`, 'matter');
    }
    const list = await worklist(ctx, req.principal, { ...req.query, overdue: req.query.overdue === 'true', page: 1, pageSize: EXPORT_ROWS });
    const header = ['受理编号 Case no.', '事项 Matter', '当前环节 Stage', '申请人 Applicant', '身份证号码 ID number', '等待 Waiting on', '办理期限 Due', '剩余工作日 Working days left', '时限状态 Deadline', '受理日期 Filed'];
    const rows: Cell[][] = list.items.map((c) => [
      c.caseNo,
      c.matter.zh,
      c.state.zh,
      c.applicant.nameMasked,
      c.applicant.idNumberMasked,
      c.waitingOn ? (WAITING[c.waitingOn]?.zh ?? c.waitingOn) : null,
      c.sla?.dueOn ?? null,
      c.sla ? c.sla.remainingWd : null,
      !c.sla ? null : c.sla.paused ? '暂停 Paused' : c.sla.overdue ? '已超期 Overdue' : c.sla.dueSoon ? '即将到期 Due soon' : '正常 On time',
      day(c.createdAt),
    ]);
    const today = ctx.clock.today();
    return send(reply, { en: `worklist-${today}`, zh: `我的待办-${today}` }, [{ name: '待办 Worklist', rows: [header, ...rows], widths: [22, 14, 18, 12, 22, 12, 12, 12, 14, 12] }]);
  });

  app.get('/api/reports/missed-logins.xlsx', {
    schema: { tags: ['reports'], summary: '未按要求登录的办证人员导出 Excel Desk staff who missed their daily logins, as .xlsx (ORG-4)', querystring: z.object({ date: isoDate }) },
  }, async (req, reply) => {
    const r = await missedLogins(ctx, req.principal, req.query.date);
    const header = ['日期 Date', '单位 Office', '用户名 Username', '姓名 Name', '当日登录次数 Logins', '应登录次数 Required'];
    const rows: Cell[][] = r.workingDay ? r.items.map((i) => [r.date, i.org, i.username, i.displayName, i.logins, i.required]) : [[r.date, '非工作日 Not a working day']];
    return send(reply, { en: `missed-logins-${r.date}`, zh: `未按要求登录-${r.date}` }, [{ name: '未按要求登录 Missed logins', rows: [header, ...rows], widths: [12, 28, 18, 12, 14, 14] }]);
  });

  app.get('/api/doctor-statistics.xlsx', {
    schema: {
      tags: ['sampling'],
      summary: '评定医生统计导出 Excel Per-doctor assessment statistics as .xlsx (ASMT-3)',
      querystring: z.object({ from: isoDate, to: isoDate, countyCode: z.string().regex(/^\d{6}$/, 'county code: 6 digits / 县级区划代码为6位数字').optional() }),
    },
  }, async (req, reply) => {
    const s = await samples.statistics(req.principal, req.query);
    const header = ['医生 Doctor', '评定机构 Institution', '评定人次 Assessments', '不符合评残 Not qualified', '结论偏离测量 Departed', '不一致率(%) Disagreement rate', '一二级占比(%) Share of levels 1–2', '同行不一致率(%) Peers', '同行一二级占比(%) Peers', '提示 Flags'];
    const rows: Cell[][] = s.doctors.map((d) => [
      d.name, d.institutions.join('、'), d.count, d.notQualified, d.departs, percent(d.disagreementRate), percent(d.severeShare),
      percent(d.peerDisagreementRate), percent(d.peerSevereShare), d.flags.map((f) => FLAGS[f].zh).join('、') || null,
    ]);
    const span = `${s.from}-${s.to}${req.query.countyCode ? `-${req.query.countyCode}` : ''}`;
    return send(reply, { en: `doctor-statistics-${span}`, zh: `评定医生统计-${span}` }, [{ name: '评定医生统计 Doctors', rows: [header, ...rows], widths: [12, 28, 12, 12, 12, 14, 14, 14, 14, 20] }]);
  });

  app.get('/api/old-cards.xlsx', {
    schema: { tags: ['old cards'], summary: '本县（区）回收的旧证导出 Excel My county’s old cards as .xlsx (CARD-1)', querystring: z.object({ status: z.enum(['held', 'due', 'destroyed']).default('held') }) },
  }, async (req, reply) => {
    const { items } = await listOldCards(ctx, requireStaff(req.principal), req.query.status);
    const header = ['残疾人证号 Certificate no.', '卡号 Card no.', '持证人 Holder', '证状态 Certificate state', '回收日期 Collected on', '可销毁日期 Due from', '旧证状态 Status', '受理编号 Case no.', '销毁记录号 Destruction record'];
    const rows: Cell[][] = items.map((c: any) => [
      c.numberMasked, c.cardNo, c.holderNameMasked, CERTIFICATE_STATES[c.certificateState as keyof typeof CERTIFICATE_STATES]?.zh ?? c.certificateState, c.collectedOn, c.dueFrom,
      OLD_CARD_STATUS[c.status]?.zh ?? c.status, c.case?.caseNo ?? null, c.destruction?.recordNo ?? null,
    ]);
    const label = OLD_CARD_STATUS[req.query.status];
    return send(reply, { en: `old-cards-${req.query.status}-${ctx.clock.today()}`, zh: `旧证登记-${label.zh}-${ctx.clock.today()}` }, [{ name: `旧证 ${label.en}`.slice(0, 31), rows: [header, ...rows], widths: [26, 8, 12, 14, 12, 12, 12, 22, 22] }]);
  });

  app.get('/api/duplicate-candidates.xlsx', {
    schema: {
      tags: ['persons'],
      summary: '疑似重复人员名单导出 Excel（脱敏） Possible duplicate persons as .xlsx, masked (ID-3)',
      querystring: z.object({ status: z.enum([...DUPLICATE_STATUSES, 'all']).default('open') }),
    },
  }, async (req, reply) => {
    const { items } = await duplicates.list(requireStaff(req.principal), req.query.status, 1, EXPORT_ROWS);
    const header = ['发现日期 Found', '类型 Kind', '状态 Status', '县（区） County', '来源 Source', '导入身份证号码 Incoming ID number', '导入姓名 Incoming name', '与在册姓名相同 Same name', '导入证号 Incoming certificate', '在册身份证号码 ID number on file', '在册姓名 Name on file'];
    const rows: Cell[][] = items.map((d) => [
      day(d.foundAt), DUPLICATE_KIND[d.kind]?.zh ?? d.kind, DUPLICATE_STATUS[d.status]?.zh ?? d.status, d.county, d.source,
      d.incoming.idNumberMasked, d.incoming.nameMasked, d.incoming.sameNameAsOnFile ? '是' : '否', d.incoming.certificate.numberMasked,
      d.onFile.idNumberMasked, d.onFile.nameMasked,
    ]);
    return send(reply, { en: `duplicate-candidates-${req.query.status}-${ctx.clock.today()}`, zh: `疑似重复人员-${ctx.clock.today()}` }, [{ name: '疑似重复人员 Duplicates', rows: [header, ...rows], widths: [12, 20, 14, 24, 24, 22, 12, 10, 26, 22, 12] }]);
  });
}
