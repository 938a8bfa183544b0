/**
 * DOC-1, SEC-4, DOC-3: the card as data — its size, what each side carries and where, the
 * verification token's byte format and the public status a card answers. Pure: no keys, no I/O
 * (signing and the database live in src/modules/cards and src/modules/verification).
 *
 * Layout source: the 2nd-generation 中华人民共和国残疾人证 as described in “二代残疾证外观设计解析”
 * (https://www.zx08.cn/article/133063.html): a bank-card-sized card (the article gives
 * 85.5 mm × 54 mm; we print the ISO/IEC 7810 ID-1 size 85.6 mm × 53.98 mm that “兼容银行磁卡设备”
 * refers to), front: the title “中华人民共和国残疾人证” across the top, the holder's photo with
 * name, sex and birth date beside it; back: the federation's side with the certificate number,
 * validity and the category and level of disability, and a QR code. See docs/decisions/0009.
 */
import { zhDate } from './dates.js';
import { categoryName, levelName, type CertificateCategory, type Disability, type Level } from './disability.js';
import type { CertificateState } from './certificates.js';
import { invalid, DomainError, type Bilingual } from './errors.js';

/** Millimetres to PDF points. */
export const mm = (v: number) => (v * 72) / 25.4;

/** ISO/IEC 7810 ID-1, the card's true size. */
export const CARD_MM = { width: 85.6, height: 53.98 } as const;
/** The photo box on the front: a 2-inch photo's 3:4 proportion, scaled to the card (22 × 28 mm). */
export const PHOTO_BOX_MM = { x: 5, y: 14, width: 20, height: 26.5 } as const;

/** One sheet of a print batch: A4 portrait, 2 columns × 4 rows of cards with 12 mm gutters for the crop marks. */
export const SHEET = {
  size: 'A4' as const,
  widthMm: 210,
  heightMm: 297,
  columns: 2,
  rows: 4,
  gutterMm: 12,
  cropMarkMm: 4,
} as const;
export const CARDS_PER_SHEET = SHEET.columns * SHEET.rows;

/** Top-left corner (mm) of card slot `i` on a sheet: the grid is centred on the page. */
export function sheetSlot(i: number): { x: number; y: number } {
  const col = i % SHEET.columns;
  const row = Math.floor(i / SHEET.columns) % SHEET.rows;
  const gridW = SHEET.columns * CARD_MM.width + (SHEET.columns - 1) * SHEET.gutterMm;
  const gridH = SHEET.rows * CARD_MM.height + (SHEET.rows - 1) * SHEET.gutterMm;
  const x0 = (SHEET.widthMm - gridW) / 2;
  const y0 = (SHEET.heightMm - gridH) / 2;
  return { x: x0 + col * (CARD_MM.width + SHEET.gutterMm), y: y0 + row * (CARD_MM.height + SHEET.gutterMm) };
}

/** Everything printed on one card, already decrypted and formatted (a full view of personal data). */
export type CardData = {
  certificateId: string;
  cardNo: number;
  name: string;
  sex: 'M' | 'F' | string;
  birthDate: string;
  citizenId: string;
  number: string;
  category: CertificateCategory;
  level: Level;
  disabilities: Disability[];
  guardian: { name: string; relation?: string } | null;
  address: string;
  issuer: string;
  validFrom: string;
  validUntil: string;
  photo: { bytes: Uint8Array; mime: string } | null;
  /** the URL the QR code holds: the public status page of this card */
  verifyUrl: string;
};

/** One printed row; a long value wraps to at most `maxLines` (default 2) and is cut with an ellipsis after. */
export type CardLine = { label: string; value: string; maxLines?: number };

const sexZh = (s: string) => (s === 'M' ? '男' : s === 'F' ? '女' : s);

/** The lines of the front, in print order: identity beside the photo. */
export function frontLines(c: CardData): CardLine[] {
  return [
    { label: '姓名', value: c.name },
    { label: '性别', value: sexZh(c.sex) },
    { label: '出生日期', value: zhDate(c.birthDate) },
    { label: '公民身份号码', value: c.citizenId },
    { label: '住址', value: c.address || '—', maxLines: 3 },
  ];
}

/** Each disability as “肢体残疾 二级”; a multiple disability also names its parts. */
export function disabilityWords(c: Pick<CardData, 'category' | 'level' | 'disabilities'>): string {
  const head = `${categoryName(c.category, 'zh')} ${levelName(c.level, 'zh')}`;
  if (c.category !== 7) return head;
  return `${head}（${c.disabilities.map((d) => `${categoryName(d.category, 'zh')}${levelName(d.level, 'zh')}`).join('、')}）`;
}

/** The lines of the back: the certificate itself. */
export function backLines(c: CardData): CardLine[] {
  return [
    { label: '残疾人证号', value: c.number },
    { label: '残疾类别等级', value: disabilityWords(c) },
    ...(c.guardian ? [{ label: '监护人', value: c.guardian.relation ? `${c.guardian.name}（${c.guardian.relation}）` : c.guardian.name }] : []),
    { label: '发证机关', value: c.issuer },
    { label: '有效期限', value: `${zhDate(c.validFrom)}至${zhDate(c.validUntil)}` },
  ];
}

// ---------------------------------------------------------------------------------------------
// SEC-4 the verification token: which card, signed; no personal data.
//   byte 0      format version (1)
//   bytes 1-16  the certificate row's id (a UUID: each physical card is its own row, REISSUE-1)
//   bytes 17-18 card_no (big-endian)
//   bytes 19-20 issue date, days since 1970-01-01 (big-endian)
//   bytes 21-84 Ed25519 signature over bytes 0-20
// base64url without padding: 114 characters, a version-7 QR at level M.
// ---------------------------------------------------------------------------------------------
export const TOKEN_VERSION = 1;
export const TOKEN_PAYLOAD_BYTES = 21;
export const TOKEN_SIGNATURE_BYTES = 64;
export const TOKEN_LENGTH = Math.ceil(((TOKEN_PAYLOAD_BYTES + TOKEN_SIGNATURE_BYTES) * 4) / 3);
export const TOKEN_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`);

export type CardRef = { certificateId: string; cardNo: number; issuedOn: string };

const DAY_MS = 86_400_000;

export function tokenPayload(ref: CardRef): Uint8Array {
  const hex = ref.certificateId.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError('certificate id must be a UUID');
  const b = new Uint8Array(TOKEN_PAYLOAD_BYTES);
  const view = new DataView(b.buffer);
  b[0] = TOKEN_VERSION;
  for (let i = 0; i < 16; i++) b[1 + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  view.setUint16(17, ref.cardNo);
  view.setUint16(19, Math.round(Date.parse(ref.issuedOn.slice(0, 10) + 'T00:00:00Z') / DAY_MS));
  return b;
}

export function parsePayload(b: Uint8Array): CardRef {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const hex = Array.from(b.subarray(1, 17), (x) => x.toString(16).padStart(2, '0')).join('');
  return {
    certificateId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    cardNo: view.getUint16(17),
    issuedOn: new Date(view.getUint16(19) * DAY_MS).toISOString().slice(0, 10),
  };
}

/** Is this the shape of a token we issue (length, alphabet, version)? Decoding is the caller's (base64url). */
export const tokenShapeOk = (token: string, decoded: Uint8Array) =>
  TOKEN_PATTERN.test(token) && decoded.length === TOKEN_PAYLOAD_BYTES + TOKEN_SIGNATURE_BYTES && decoded[0] === TOKEN_VERSION;

export const badToken = () =>
  new DomainError('malformed', 'verify.token_malformed', {
    zh: `核验码格式不正确（应为${TOKEN_LENGTH}位字符）。请重新扫描残疾人证上的二维码，不要手工输入。`,
    en: `The verification code is malformed (it has ${TOKEN_LENGTH} characters). Scan the QR code on the card again rather than typing it.`,
  });

/** A well-formed token whose signature does not hold, or whose card does not exist: one answer for both. */
export const unknownCard = () =>
  new DomainError('not_found', 'verify.unknown_card', {
    zh: '无法核验：此二维码不是残疾人证系统签发的，或已被篡改。请向持证人户籍地县级残联核实。',
    en: 'Cannot verify: this QR code was not issued by the certificate system, or it was altered. Check with the holder’s county disabled persons’ federation.',
  });

// ---------------------------------------------------------------------------------------------
// SEC-4, REISSUE-1, DOC-3: what a card answers to a public check.
// ---------------------------------------------------------------------------------------------
export type VerificationStatus = 'valid' | 'frozen' | 'reported_lost' | 'replaced' | 'expired' | 'cancelled';

export const VERIFICATION_STATUS: Readonly<Record<VerificationStatus, Bilingual>> = {
  valid: { zh: '有效', en: 'Valid' },
  frozen: { zh: '已冻结（暂停使用）', en: 'Frozen (suspended)' },
  reported_lost: { zh: '已挂失，此证作废', en: 'Reported lost: this card is void' },
  replaced: { zh: '已换发新证，此证作废', en: 'Replaced by a new card: this card is void' },
  expired: { zh: '已过有效期', en: 'Expired' },
  cancelled: { zh: '已注销', en: 'Cancelled' },
};

/**
 * The status of one physical card. A card reported lost stays “reported lost” after its
 * replacement is issued (REISSUE-1: the finder of the old card learns it is void); a card closed
 * because another replaced it (renewal, transfer, change) answers “replaced”; an active card past
 * its last valid day is expired even before the nightly sweep marks it.
 */
export function verificationStatus(c: { state: CertificateState; replacedBy: string | null; validUntil: string }, today: string): VerificationStatus {
  switch (c.state) {
    case 'reported_lost':
      return 'reported_lost';
    case 'cancelled':
      return c.replacedBy ? 'replaced' : 'cancelled';
    case 'expired':
      return 'expired';
    case 'frozen':
      return 'frozen';
    case 'active':
      return c.validUntil.slice(0, 10) < today ? 'expired' : 'valid';
  }
}

/** A print request for a case that is not waiting to be printed: 409, naming the case. */
export const notPrintable = (caseNo: string, stateLabel: Bilingual) =>
  new DomainError('conflict', 'card.not_printable', {
    zh: `案件${caseNo}当前状态为“${stateLabel.zh}”，不是“待制证”，不能制证。请先完成审批（及照片），再加入制证批次。本批次未创建。`,
    en: `Case ${caseNo} is “${stateLabel.en}”, not “To print”; its card cannot be printed. Finish the approval (and photo) first, then add it to a batch. No batch was created.`,
  });

export const reprintNeedsReason = () =>
  invalid('card.reprint_reason', '补打（重印）须填写原因（2–200字）。', 'A reprint needs its reason (2–200 characters).', 'reprintReason');
