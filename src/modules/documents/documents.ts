/**
 * Scans of application materials. A file is stored once (content-addressed by SHA-256), encrypted
 * at rest, and accepted only when its bytes are a JPEG, PNG or PDF — the file name proves nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AppContext } from '../../app-context.js';
import { invalid } from '../../domain/errors.js';
import { knownMaterialCodes } from '../../domain/materials.js';
import type { Queryable } from '../../platform/db.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { visibleCaseRow } from '../cases/access.js';
import { countyPathOf } from '../org/divisions.js';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

const SIGNATURES: { mime: string; magic: number[] }[] = [
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

export function sniffType(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.magic.every((b, i) => bytes[i] === b))?.mime ?? null;
}

export async function attachDocument(ctx: AppContext, q: Queryable, p: Principal, caseId: string, upload: { materialCode: string; fileName: string; bytes: Buffer }) {
  const row = await visibleCaseRow(q, p, caseId, true);
  if (!knownMaterialCodes().includes(upload.materialCode) && upload.materialCode !== 'other') {
    throw invalid('document.material', `未知的材料类型“${upload.materialCode}”。`, `Unknown material type "${upload.materialCode}".`, 'materialCode');
  }
  if (upload.bytes.length === 0) throw invalid('document.empty', '文件为空，请重新选择。', 'The file is empty; choose it again.', 'file');
  if (upload.bytes.length > MAX_DOCUMENT_BYTES) throw invalid('document.too_large', '文件超过10MB，请压缩或分页扫描后上传。', 'The file is over 10 MB; compress it or scan fewer pages per file.', 'file');
  const mime = sniffType(upload.bytes);
  if (!mime) throw invalid('document.type', '只接受 JPG、PNG 图片或 PDF 文件（按文件内容判断）。', 'Only JPG or PNG images and PDF files are accepted (judged by content, not by name).', 'file');
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  await q.query(
    `INSERT INTO document (sha256, mime, size, content_enc) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
    [sha256, mime, upload.bytes.length, ctx.crypto.encryptBytes(upload.bytes)],
  );
  const id = randomUUID();
  const origin = p.kind === 'staff' ? p.grants.find((g) => countyPathOf(row.accept_path).startsWith(g.orgPath) || row.hukou_path.startsWith(g.orgPath) || row.institution_path?.startsWith(g.orgPath))?.orgUnitId ?? null : null;
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
