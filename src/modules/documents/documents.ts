/**
 * Scans of application materials. A file is stored once (content-addressed by SHA-256), encrypted
 * at rest, and accepted only when its bytes are a JPEG, PNG or PDF that decodes or parses whole
 * (structure.ts) — the file name and the first bytes prove nothing — and the operator's virus
 * scanner, if one is plugged in (scanner.ts), passes it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { SCAN_CSP } from '../../platform/security-headers.js';
import { invalid } from '../../domain/errors.js';
import { knownMaterialCodes } from '../../domain/materials.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { visibleCaseRow } from '../cases/access.js';
import { countyPathOf } from '../org/divisions.js';
import type { DocumentScanner } from './scanner.js';
import { checkStructure } from './structure.js';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** The whole multipart body: the file plus its form fields and boundaries. */
export const UPLOAD_BODY_LIMIT = MAX_DOCUMENT_BYTES + 64 * 1024;

/**
 * Serves a stored scan so it can be looked at but never run: a sandboxing CSP (no script, no
 * plugin, a unique origin), images shown inline, PDFs as attachments (opened by the viewer the
 * user chooses, not as a page of this site).
 */
export function sendScan(reply: FastifyReply, d: { mime: string; fileName: string; bytes: Buffer }) {
  const disposition = d.mime.startsWith('image/') ? 'inline' : 'attachment';
  return reply
    .header('content-type', d.mime)
    .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(d.fileName)}`)
    .header('content-security-policy', SCAN_CSP)
    .header('cache-control', 'private, no-store')
    .send(d.bytes);
}

const SIGNATURES: { mime: string; magic: number[] }[] = [
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

export function sniffType(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.magic.every((b, i) => bytes[i] === b))?.mime ?? null;
}

export type CheckedUpload = { materialCode: string; fileName: string; bytes: Buffer; mime: string; sha256: string };

/**
 * Everything that can refuse a file before it is stored: material type, size, type by content, then
 * the virus scan. Runs outside the upload's transaction, so a slow scanner never holds the case lock.
 */
export async function checkUpload(ctx: AppContext, upload: { materialCode: string; fileName: string; bytes: Buffer }, log: ScannerLog): Promise<CheckedUpload> {
  if (!knownMaterialCodes().includes(upload.materialCode) && upload.materialCode !== 'other') {
    throw invalid('document.material', `未知的材料类型“${upload.materialCode}”。`, `Unknown material type "${upload.materialCode}".`, 'materialCode');
  }
  if (upload.bytes.length === 0) throw invalid('document.empty', '文件为空，请重新选择。', 'The file is empty; choose it again.', 'file');
  if (upload.bytes.length > MAX_DOCUMENT_BYTES) throw invalid('document.too_large', '文件超过10MB，请压缩或分页扫描后上传。', 'The file is over 10 MB; compress it or scan fewer pages per file.', 'file');
  const mime = sniffType(upload.bytes);
  if (!mime) throw invalid('document.type', '只接受 JPG、PNG 图片或 PDF 文件（按文件内容判断）。', 'Only JPG or PNG images and PDF files are accepted (judged by content, not by name).', 'file');
  await checkStructure(mime, upload.bytes);
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  const checked = { ...upload, mime, sha256 };
  if (ctx.scanDocument) await scan(ctx.scanDocument, checked, log);
  return checked;
}

/** Where a scanner's own failure is reported: the uploader is only told to retry; the operator needs the cause. */
type ScannerLog = { error: (detail: object, message: string) => void };

/** Fails closed: a scanner that cannot answer refuses the file as surely as one that finds a virus. */
async function scan(scanner: DocumentScanner, file: CheckedUpload, log: ScannerLog) {
  const verdict = await Promise.resolve()
    .then(() => scanner(file))
    .catch((err: unknown) => {
      log.error({ err, sha256: file.sha256 }, 'the document scanner failed; the upload was refused');
      return null;
    });
  if (!verdict) {
    throw invalid('document.scan_failed', '病毒扫描未能完成，文件未保存。请稍后重试；仍不行请联系系统管理员。', 'The virus scan could not be completed and the file was not stored. Try again later; if it keeps failing, contact the system administrator.', 'file');
  }
  if (!verdict.clean) {
    throw invalid('document.infected', `文件未通过病毒扫描（${verdict.reason}），未保存。请用杀毒软件检查扫描文件所在的电脑，重新扫描纸质材料后上传。`, `The file failed the virus scan (${verdict.reason}) and was not stored. Have the computer that produced it checked, scan the paper again and upload the new file.`, 'file');
  }
}

export async function attachDocument(ctx: AppContext, q: Queryable, p: Principal, caseId: string, upload: CheckedUpload) {
  const row = await visibleCaseRow(q, p, caseId, true);
  const { sha256, mime } = upload;
  await q.query(
    `INSERT INTO document (sha256, mime, size, content_enc) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
    [sha256, mime, upload.bytes.length, ctx.crypto.encryptBytes(upload.bytes)],
  );
  const id = randomUUID();
  // the office that produced the paper (ARCH-1): any side of the case the uploader works for, the former county of a transfer included
  const origin = p.kind === 'staff' ? p.grants.find((g) => [countyPathOf(row.accept_path), row.hukou_path, row.institution_path, row.origin_path].some((path) => path?.startsWith(g.orgPath)))?.orgUnitId ?? null : null;
  const actor = `${p.kind}:${p.id}`;
  await q.query(
    `INSERT INTO case_document (id, case_id, sha256, material_code, file_name, origin_org_id, uploaded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, row.id, sha256, upload.materialCode, upload.fileName.slice(0, 200), origin, actor, ctx.clock.now().toISOString()],
  );
  await appendAudit(q, { chain: origin ?? `county:${countyPathOf(row.accept_path).split('.')[2]}`, actor, action: 'case.document_upload', objectType: 'case', objectId: row.id, detail: { document: id, sha256, materialCode: upload.materialCode, mime }, at: ctx.clock.now() });
  return { id, sha256, mime, size: upload.bytes.length };
}

export async function listDocuments(q: Queryable, caseId: string) {
  const rows = await q.query(
    `SELECT cd.id, cd.material_code, cd.file_name, cd.at, cd.uploaded_by, d.mime, d.size FROM case_document cd JOIN document d ON d.sha256 = cd.sha256
     WHERE cd.case_id = $1 ORDER BY cd.at, cd.id`,
    [caseId],
  );
  return rows.map((r) => ({ id: r.id, materialCode: r.material_code, fileName: r.file_name, at: r.at, mime: r.mime, size: r.size }));
}

export async function documentContent(ctx: AppContext, caseId: string, documentId: string) {
  const [r] = await ctx.db.query(
    `SELECT d.mime, d.content_enc, cd.file_name FROM case_document cd JOIN document d ON d.sha256 = cd.sha256 WHERE cd.case_id = $1 AND cd.id = $2`,
    [caseId, documentId],
  );
  return r ? { mime: r.mime as string, fileName: r.file_name as string, bytes: ctx.crypto.decryptBytes(Buffer.from(r.content_enc)) } : null;
}
