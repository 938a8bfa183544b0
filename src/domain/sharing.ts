/**
 * SEC-5 data-sharing agreements, as rules without I/O: what may be shared (a fixed catalogue of
 * fields), through which channels, the states an agreement moves through, and whether one allows a
 * given disclosure on a given day.
 */
import type { Bilingual } from './errors.js';

export const SHARED_FIELDS = {
  name: { zh: '姓名', en: 'Name' },
  id_number: { zh: '身份证号', en: 'ID number' },
  sex: { zh: '性别', en: 'Sex' },
  birth_date: { zh: '出生日期', en: 'Date of birth' },
  certificate_number: { zh: '残疾人证号', en: 'Certificate number' },
  category: { zh: '残疾类别', en: 'Category' },
  level: { zh: '残疾等级', en: 'Level' },
  certificate_state: { zh: '证件状态', en: 'Certificate state' },
  valid_until: { zh: '有效期至', en: 'Valid until' },
  hukou_code: { zh: '户籍地区划代码', en: 'Hukou division code' },
  phone: { zh: '联系电话', en: 'Phone' },
  address: { zh: '住址', en: 'Address' },
  archive_documents: { zh: '档案材料（扫描件）', en: 'Archive documents (scans)' },
} satisfies Record<string, Bilingual>;
export type SharedField = keyof typeof SHARED_FIELDS;
export const SHARED_FIELD_CODES = Object.keys(SHARED_FIELDS) as [SharedField, ...SharedField[]];

export const CHANNELS = {
  api: { zh: '接口查询（合作单位系统）', en: 'API lookups by the partner’s system' },
  spreadsheet: { zh: '表格导出', en: 'Spreadsheet export' },
  archive: { zh: '档案导出（ZIP）', en: 'Archive export (ZIP)' },
} satisfies Record<string, Bilingual>;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_CODES = Object.keys(CHANNELS) as [Channel, ...Channel[]];

export const PARTY_KINDS = {
  civil_affairs: { zh: '民政部门', en: 'Civil affairs' },
  medical_insurance: { zh: '医疗保障部门', en: 'Medical insurance' },
  public_security: { zh: '公安部门', en: 'Public security' },
  human_resources: { zh: '人力资源和社会保障部门', en: 'Human resources and social security' },
  other_authority: { zh: '其他机关', en: 'Other authority' },
} satisfies Record<string, Bilingual>;

export type AgreementState = 'draft' | 'approved' | 'revoked';
export const AGREEMENT_STATES: Record<AgreementState | 'expired', Bilingual> = {
  draft: { zh: '草稿（待批准）', en: 'Draft (awaiting approval)' },
  approved: { zh: '生效', en: 'In force' },
  expired: { zh: '已到期', en: 'Expired' },
  revoked: { zh: '已撤销', en: 'Revoked' },
};

/** The transitions, as data: each one function in agreements.ts runs them all the same way. */
export const AGREEMENT_TRANSITIONS = {
  approve: { from: ['draft'], to: 'approved', roles: ['supervisor'], label: { zh: '批准', en: 'Approve' } },
  revoke: { from: ['draft', 'approved'], to: 'revoked', roles: ['supervisor', 'admin'], label: { zh: '撤销', en: 'Revoke' } },
} as const satisfies Record<string, { from: readonly AgreementState[]; to: AgreementState; roles: readonly string[]; label: Bilingual }>;
export type AgreementAction = keyof typeof AGREEMENT_TRANSITIONS;

/** 'expired' is not stored: an approved agreement past its last day is expired, whatever a sweep did or did not do. */
export const effectiveState = (a: { state: AgreementState; validUntil: string }, today: string): AgreementState | 'expired' =>
  a.state === 'approved' && a.validUntil < today ? 'expired' : a.state;

export type AgreementFacts = { state: AgreementState; validFrom: string; validUntil: string; channels: readonly string[]; fields: readonly string[] };

/**
 * Why this agreement does not allow a disclosure through `channel` today (null: it does). `kind`
 * 'state' — not (or no longer, or not yet) in force: 409 (decision 0008); 'scope' — in force, but
 * it does not provide for this channel or these fields: 403, the caller may not do it.
 */
export function disclosureRefusal(a: AgreementFacts, channel: Channel, today: string, needs: readonly SharedField[] = []): (Bilingual & { kind: 'state' | 'scope' }) | null {
  const state = effectiveState(a, today);
  if (state !== 'approved') return { kind: 'state', zh: `协议状态为“${AGREEMENT_STATES[state].zh}”，不能据此提供数据。`, en: `The agreement is ${AGREEMENT_STATES[state].en.toLowerCase()}; no data can be shared under it.` };
  if (today < a.validFrom) return { kind: 'state', zh: `协议自${a.validFrom}起生效，尚未到期限。`, en: `The agreement applies from ${a.validFrom}; its period has not begun.` };
  if (!a.channels.includes(channel)) return { kind: 'scope', zh: `协议未约定“${CHANNELS[channel].zh}”方式。`, en: `The agreement does not provide for ${CHANNELS[channel].en.toLowerCase()}.` };
  const missing = needs.filter((f) => !a.fields.includes(f));
  if (missing.length) return { kind: 'scope', zh: `协议未约定提供：${missing.map((f) => SHARED_FIELDS[f].zh).join('、')}。`, en: `The agreement does not cover: ${missing.map((f) => SHARED_FIELDS[f].en).join(', ')}.` };
  return null;
}

/** Only the agreed fields of a record leave the federation. */
export function projectFields<T extends Partial<Record<SharedField, unknown>>>(record: T, fields: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => fields.includes(k))) as Partial<T>;
}
