/**
 * ARCH-1 one person, one file (一人一档, 004: 档案齐全、按序装盒): the person's scans in filing order,
 * each file once however often it was attached, and the names the files get in an export.
 */

/**
 * Groups attachments (already in filing order) by content: a scan attached to two cases is one
 * document with two references, placed where it was first filed, numbered from 1.
 */
export function groupByContent<R extends { sha256: string }>(references: readonly R[]): { no: number; sha256: string; references: R[] }[] {
  const documents = new Map<string, { no: number; sha256: string; references: R[] }>();
  for (const r of references) {
    const doc = documents.get(r.sha256);
    if (doc) doc.references.push(r);
    else documents.set(r.sha256, { no: documents.size + 1, sha256: r.sha256, references: [r] });
  }
  return [...documents.values()];
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

/**
 * '残疾评定表（医生签字、机构盖章后的扫描件）' → '残疾评定表': the checklist wording without its
 * explanation, and nothing a file system refuses (Windows is the strictest: \ / : * ? " < > |).
 */
export const shortLabel = (label: string) =>
  label.replace(/[（(][^）)]*[）)]/g, '').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/\s+/g, '').trim() || '材料';

/**
 * The name of a document in an export, so the files sort in filing order in any file manager:
 * `01_2026-11-27_残疾评定表_NEW-330106-20261127-000042.png` (the number is as wide as the count needs,
 * at least two digits; the date is the China date it was filed).
 */
export function exportFileName(no: number, count: number, filed: { date: string; labelZh: string; caseNo: string; mime: string }): string {
  const width = Math.max(2, String(count).length);
  const caseNo = filed.caseNo.replace(/[^\w-]/g, '_');
  return `${String(no).padStart(width, '0')}_${filed.date}_${shortLabel(filed.labelZh)}_${caseNo}.${EXTENSIONS[filed.mime] ?? 'bin'}`;
}

/** 812 B, 12.3 KB, 4.0 MB — for the archive list and its index. */
export const formatSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
