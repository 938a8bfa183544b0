/**
 * Issue 10 item 9: an upload is checked by its structure, not only by its first bytes — a PDF must
 * parse into pages (Mozilla's pdf.js, built for hostile input in browsers), a PNG must decode with
 * every chunk's CRC right (pngjs), a JPEG must decode (jpeg-js) within limits on resolution and
 * memory, so a decompression bomb is refused too. "%PDF-" glued onto an executable is not a PDF.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { invalid } from '../../domain/errors.js';

/** 100 megapixels: far above any A4 scan at 600 dpi (35 MP), far below what would exhaust memory. */
const MAX_MEGAPIXELS = 100;

const broken = (what: string, en: string) =>
  invalid('document.corrupt', `文件内容不是完整有效的${what}（可能已损坏，或只是改了扩展名）。请重新扫描或导出后上传。`, `The file is not a complete, valid ${en} (it may be damaged, or only renamed). Scan or export it again and upload the new file.`, 'file');

async function checkPdf(bytes: Buffer) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: true, verbosity: 0 });
  try {
    const doc = await task.promise;
    const pages = doc.numPages;
    if (pages < 1) throw new Error('no pages');
    await doc.getPage(1);
    await doc.destroy();
  } catch {
    await task.destroy().catch(() => {});
    throw broken('PDF 文件', 'PDF');
  }
}

function checkPng(bytes: Buffer) {
  try {
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    if (width * height > MAX_MEGAPIXELS * 1e6) throw new Error('too many pixels');
    PNG.sync.read(bytes, { checkCRC: true });
  } catch {
    throw broken('PNG 图片', 'PNG image');
  }
}

function checkJpeg(bytes: Buffer) {
  try {
    jpeg.decode(bytes, { maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024, tolerantDecoding: false, formatAsRGBA: false });
  } catch {
    throw broken('JPG 图片', 'JPEG image');
  }
}

/** Refuses (422, field `file`) a file whose bytes do not hold the structure its type promises. */
export async function checkStructure(mime: string, bytes: Buffer): Promise<void> {
  if (mime === 'application/pdf') return checkPdf(bytes);
  if (mime === 'image/png') return checkPng(bytes);
  if (mime === 'image/jpeg') return checkJpeg(bytes);
}
