/**
 * Validation errors in plain words (issue 15 item 1): a zod issue becomes one Chinese and one English
 * sentence that names the field as people call it — "密码至少需要8个字符。", never
 * "body.password — Too small: expected string to have >=8 characters". Used by the HTTP error
 * handler (request schemas) and the workflow engine (action forms).
 *
 * A schema's own message, written "English / 中文" (e.g. 'month as YYYY-MM / 月份格式为 YYYY-MM'), is
 * kept: it already says what to do. Fields missing from the catalogue fall back to their name spelled
 * out in words ("deliveryAddress" → "delivery address").
 */
import type { Bilingual } from './errors.js';

/** Field names as people say them. Keys are the last non-numeric segment of a field's path. */
export const FIELD_NAMES: Record<string, Bilingual> = {
  password: { zh: '密码', en: 'password' },
  // the texted or authenticator code people type; a division's code is named by its own field (divisionCode …)
  code: { zh: '验证码', en: 'code' },
  assessedOn: { zh: '评定日期', en: 'assessment date' },
  attendedOn: { zh: '到场日期', en: 'attendance date' },
  deliveredOn: { zh: '送达日期', en: 'delivery date' },
  justification: { zh: '理由', en: 'justification' },
  newPassword: { zh: '新密码', en: 'new password' },
  currentPassword: { zh: '当前密码', en: 'current password' },
  phone: { zh: '手机号码', en: 'phone number' },
  idNumber: { zh: '身份证号码', en: 'ID number' },
  name: { zh: '姓名', en: 'name' },
  username: { zh: '用户名', en: 'user name' },
  displayName: { zh: '显示名称', en: 'display name' },
  categories: { zh: '残疾类别', en: 'disability categories' },
  category: { zh: '残疾类别', en: 'disability category' },
  level: { zh: '残疾等级', en: 'disability level' },
  disabilities: { zh: '残疾类别和等级', en: 'disabilities' },
  removeCategories: { zh: '要注销的残疾类别', en: 'categories to remove' },
  residenceCode: { zh: '经常居住地', en: 'place of residence' },
  hukouCode: { zh: '户籍地', en: 'hukou place' },
  acceptCode: { zh: '受理地', en: 'accepting county' },
  divisionCode: { zh: '行政区划', en: 'division' },
  townshipCode: { zh: '乡镇（街道）', en: 'township' },
  county: { zh: '县（区）', en: 'county' },
  address: { zh: '地址', en: 'address' },
  delivery: { zh: '送达方式', en: 'delivery' },
  method: { zh: '方式', en: 'method' },
  reason: { zh: '原因', en: 'reason' },
  reasonNote: { zh: '原因说明', en: 'reason' },
  note: { zh: '备注', en: 'note' },
  opinion: { zh: '意见', en: 'opinion' },
  month: { zh: '月份', en: 'month' },
  from: { zh: '开始日期', en: 'start date' },
  to: { zh: '结束日期', en: 'end date' },
  validFrom: { zh: '有效期开始日期', en: 'valid from' },
  validUntil: { zh: '有效期结束日期', en: 'valid until' },
  visitOn: { zh: '上门日期', en: 'visit date' },
  institutionId: { zh: '评定机构', en: 'assessment institution' },
  matter: { zh: '办理事项', en: 'matter' },
  variant: { zh: '办理类型', en: 'kind of matter' },
  channel: { zh: '申请方式', en: 'channel' },
  materialsProvided: { zh: '已收取的材料', en: 'materials received' },
  provided: { zh: '已补齐的材料', en: 'materials supplied' },
  guardian: { zh: '监护人', en: 'guardian' },
  relation: { zh: '与申请人的关系', en: 'relation to the applicant' },
  ethnicity: { zh: '民族', en: 'ethnicity' },
  courier: { zh: '快递公司', en: 'courier' },
  trackingNo: { zh: '运单号', en: 'tracking number' },
  deliverer: { zh: '送证人', en: 'person delivering' },
  receivedBy: { zh: '签收人', en: 'received by' },
  certificateNumber: { zh: '残疾人证号', en: 'certificate number' },
  place: { zh: '地点', en: 'place' },
  mode: { zh: '评定方式', en: 'mode' },
  title: { zh: '职称', en: 'title' },
  trainingCertNo: { zh: '培训合格证编号', en: 'training certificate number' },
  trainingDate: { zh: '培训日期', en: 'training date' },
  trainingExpires: { zh: '培训合格证有效期', en: 'training certificate expiry' },
  status: { zh: '状态', en: 'status' },
  notQualifiedReason: { zh: '未达标准的理由', en: 'reason for not qualifying' },
  qualified: { zh: '是否达到残疾标准', en: 'whether the standard is met' },
  measurements: { zh: '测量结果', en: 'measurements' },
  page: { zh: '页码', en: 'page' },
  pageSize: { zh: '每页条数', en: 'page size' },
  q: { zh: '搜索内容', en: 'search text' },
  kind: { zh: '类型', en: 'kind' },
  purpose: { zh: '用途', en: 'purpose' },
  legalBasis: { zh: '法律依据', en: 'legal basis' },
  agreementNo: { zh: '协议编号', en: 'agreement number' },
  expectedVersion: { zh: '版本号', en: 'version' },
  version: { zh: '版本号', en: 'version' },
  batchId: { zh: '批次', en: 'batch' },
  caseIds: { zh: '案件', en: 'cases' },
  doctorId: { zh: '医生', en: 'doctor' },
  percent: { zh: '抽样比例', en: 'percentage' },
  size: { zh: '抽样数量', en: 'sample size' },
  finding: { zh: '核查结论', en: 'finding' },
  decision: { zh: '决定', en: 'decision' },
  outcome: { zh: '结果', en: 'outcome' },
  publicityDays: { zh: '公示天数', en: 'publicity days' },
  hours: { zh: '办公时间', en: 'opening hours' },
  id: { zh: '编号', en: 'id' },
};

/** The field's name in words: from the catalogue, else spelled out from its camelCase name. */
export function fieldName(path: readonly PropertyKey[]): Bilingual {
  const key = [...path].reverse().find((s) => typeof s === 'string' && !/^\d+$/.test(s)) as string | undefined;
  if (!key) return { zh: '提交的内容', en: 'the request' };
  const known = FIELD_NAMES[key];
  if (known) return known;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return { zh: `“${words}”`, en: words };
}

const TYPE_WORDS: Record<string, Bilingual> = {
  string: { zh: '文字', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  int: { zh: '整数', en: 'a whole number' },
  boolean: { zh: '“是”或“否”', en: 'yes or no' },
  array: { zh: '一组选项', en: 'a list' },
  object: { zh: '一组内容', en: 'a group of entries' },
  date: { zh: '日期', en: 'a date' },
};

const FORMAT_WORDS: Record<string, Bilingual> = {
  date: { zh: '须为真实存在的日期，格式如 2026-12-09', en: 'must be a real date written like 2026-12-09' },
  datetime: { zh: '须为日期和时间，格式如 2026-12-09T09:30:00Z', en: 'must be a date and time like 2026-12-09T09:30:00Z' },
  email: { zh: '须为有效的电子邮箱地址', en: 'must be a valid e-mail address' },
  uuid: { zh: '不是有效的编号，请从列表中选择', en: 'is not a valid id; choose it from the list' },
  url: { zh: '须为有效的网址', en: 'must be a valid web address' },
};

/** The parts of a zod issue this needs (zod 4 issues, or fastify-type-provider-zod's `params` plus `keyword`). */
export type IssueLike = {
  code: string;
  path: readonly PropertyKey[];
  message?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
  format?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
  divisor?: number;
};

/** A message the schema's author wrote ("English / 中文"), if this issue carries one. */
function authored(message: string | undefined): Bilingual | null {
  if (!message || !/[\u4e00-\u9fff]/.test(message)) return null;
  const at = message.lastIndexOf(' / ');
  if (at < 0) return { zh: message, en: message };
  const [a, b] = [message.slice(0, at).trim(), message.slice(at + 3).trim()];
  return /[\u4e00-\u9fff]/.test(b) ? { en: a, zh: b } : { zh: a, en: b };
}

const list = (values: readonly unknown[], sep: string) => values.map((v) => String(v)).join(sep);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One plain sentence in each language for a validation issue, naming the field in words. */
export function issueText(issue: IssueLike): Bilingual {
  const f = fieldName(issue.path);
  const own = authored(issue.message);
  if (own) return { zh: `${f.zh}：${own.zh.replace(/[。.]$/, '')}。`, en: `${cap(f.en)}: ${own.en.replace(/^[\w .-]+:\s*/, '').replace(/[。.]$/, '')}.` };
  const n = (v: number | bigint | undefined) => Number(v ?? 0);
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined|received null/.test(issue.message ?? '')) return { zh: `请填写${f.zh}。`, en: `Please fill in the ${f.en}.` };
      const w = TYPE_WORDS[issue.expected ?? ''] ?? { zh: '正确的内容', en: 'a valid value' };
      return { zh: `${f.zh}应填写${w.zh}。`, en: `The ${f.en} should be ${w.en}.` };
    }
    case 'too_small': {
      const min = n(issue.minimum) + (issue.inclusive === false ? 1 : 0);
      if (issue.origin === 'string') {
        return min <= 1 ? { zh: `请填写${f.zh}。`, en: `Please fill in the ${f.en}.` } : { zh: `${f.zh}至少需要${min}个字符。`, en: `The ${f.en} needs at least ${min} characters.` };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return min <= 1 ? { zh: `请至少选择一项${f.zh}。`, en: `Choose at least one ${f.en}.` } : { zh: `${f.zh}至少需要选择${min}项。`, en: `Choose at least ${min} ${f.en}.` };
      }
      if (issue.origin === 'date') return { zh: `${f.zh}不能早于规定日期。`, en: `The ${f.en} is too early.` };
      return issue.inclusive === false
        ? { zh: `${f.zh}须大于${n(issue.minimum)}。`, en: `The ${f.en} must be more than ${n(issue.minimum)}.` }
        : { zh: `${f.zh}不能小于${n(issue.minimum)}。`, en: `The ${f.en} must be at least ${n(issue.minimum)}.` };
    }
    case 'too_big': {
      const max = n(issue.maximum) - (issue.inclusive === false ? 1 : 0);
      if (issue.origin === 'string') return { zh: `${f.zh}最多${max}个字符，请删减。`, en: `The ${f.en} may have at most ${max} characters; shorten it.` };
      if (issue.origin === 'array' || issue.origin === 'set') return { zh: `${f.zh}最多选择${max}项。`, en: `Choose at most ${max} ${f.en}.` };
      if (issue.origin === 'date') return { zh: `${f.zh}不能晚于规定日期。`, en: `The ${f.en} is too late.` };
      return issue.inclusive === false
        ? { zh: `${f.zh}须小于${n(issue.maximum)}。`, en: `The ${f.en} must be less than ${n(issue.maximum)}.` }
        : { zh: `${f.zh}不能大于${n(issue.maximum)}。`, en: `The ${f.en} must be at most ${n(issue.maximum)}.` };
    }
    case 'invalid_format': {
      const w = FORMAT_WORDS[issue.format ?? ''];
      return w ? { zh: `${f.zh}${w.zh}。`, en: `The ${f.en} ${w.en}.` } : { zh: `${f.zh}的格式不对，请检查后重新填写。`, en: `The ${f.en} is not in the right form; check it and enter it again.` };
    }
    case 'invalid_value': {
      const values = issue.values ?? [];
      if (values.length === 1) return { zh: `${f.zh}须为“${String(values[0])}”。`, en: `The ${f.en} must be "${String(values[0])}".` };
      return { zh: `${f.zh}须从以下选择一项：${list(values, '、')}。`, en: `Choose the ${f.en} from: ${list(values, ', ')}.` };
    }
    case 'unrecognized_keys': {
      const keys = issue.keys ?? [];
      return { zh: `提交的内容中有无法识别的项：${list(keys, '、')}。请删除后重试。`, en: `The request holds entries that are not recognised: ${list(keys, ', ')}. Remove them and retry.` };
    }
    case 'not_multiple_of':
      return { zh: `${f.zh}须为${issue.divisor}的倍数。`, en: `The ${f.en} must be a multiple of ${issue.divisor}.` };
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
    default:
      return { zh: `${f.zh}填写有误，请检查后重新填写。`, en: `The ${f.en} is not valid; check it and enter it again.` };
  }
}
