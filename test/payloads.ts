/**
 * What the API tests send, free of the test harness (no node:test hooks, no database), so the crash
 * soak (bench/crash-soak.ts) drives the real server with the same forms: citizen IDs, the NEW
 * application form, materials, guardians, a decodable PNG and multipart bodies.
 */
import { randomFillSync } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PNG as PngImage } from 'pngjs';
import { checkDigit } from '../src/domain/citizen-id.js';

const issued = new Set<string>();
/**
 * A valid 18-digit citizen ID for a test person: a birth date spread over 1950-1999 at random (or
 * the one asked for) and a random sequence number of the right parity for the sex. Each ID is given
 * out once per run — hundreds of test persons share one database, and two with the same ID would
 * meet the "already holds a certificate" rule by chance.
 */
export function makeCitizenId(opts: { division?: string; birth?: string; sex?: 'M' | 'F' } = {}): string {
  const wantOdd = (opts.sex ?? 'M') === 'M';
  for (;;) {
    const birth = opts.birth ?? new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 18000) * 86400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const seq = Math.floor(Math.random() * 500) * 2 + (wantOdd ? 1 : 0);
    const first17 = (opts.division ?? '330106') + birth + String(seq).padStart(3, '0');
    const id = first17 + checkDigit(first17);
    if (!issued.has(id)) {
      issued.add(id);
      return id;
    }
  }
}

export const XIHU_VILLAGE = '330106002052'; // 浙江省杭州市西湖区北山街道宝石社区
export const JINSHUI_VILLAGE = '410105001003'; // 河南省郑州市金水区经八路街道体育社区
export const ALL_ADULT_MATERIALS = ['photos', 'id_and_hukou', 'residence_permit', 'commitment_letter'];

/** The materials of a 西湖区 resident registered in 西湖区 (Zhejiang profile: a commitment letter, no residence permit). */
export const XIHU_LOCAL = ['photos', 'id_and_hukou', 'commitment_letter'];
/** A child's birth date (2012–2016) spread at random, so the many test holders' ID numbers do not collide. */
export const childBirth = () => new Date(Date.UTC(2012, 0, 1) + Math.floor(Math.random() * 1800) * 86400_000).toISOString().slice(0, 10).replaceAll('-', '');

/** A child holder's mother, registered in 金水区. */
export const guardian = () => ({ idNumber: makeCitizenId({ division: '410105' }), name: '监护人', phone: '13700000000', relation: '母子' });

export function newApplication(over: Record<string, any> = {}) {
  const idNumber = over.idNumber ?? makeCitizenId({ division: over.idDivision ?? '410105' });
  return {
    matter: 'new',
    applicant: { idNumber, name: '测试申请人', phone: '13800138000', address: '杭州市西湖区北山街道某路1号' },
    residenceCode: XIHU_VILLAGE,
    hukouCode: JINSHUI_VILLAGE,
    categories: [4],
    materialsProvided: ALL_ADULT_MATERIALS,
    delivery: { method: 'courier', address: '杭州市西湖区北山街道某路1号' },
    ...over,
  };
}

/**
 * A real, decodable PNG (uploads are checked by structure): 2×2 pixels of random colour, so each
 * call gives different bytes; `text` goes into a tEXt chunk (e.g. a virus scanner's test signature).
 */
export function pngImage(opts: { text?: string } = {}): Buffer {
  const img = new PngImage({ width: 2, height: 2 });
  randomFillSync(img.data);
  const bytes = PngImage.sync.write(img);
  if (!opts.text) return bytes;
  const body = Buffer.concat([Buffer.from('tEXt'), Buffer.from(`Comment\0${opts.text}`, 'latin1')]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  return Buffer.concat([bytes.subarray(0, bytes.length - 12), chunk, bytes.subarray(bytes.length - 12)]); // before IEND
}
export const PNG = pngImage();

export function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer; type: string }) {
  const boundary = '----tongban' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
