/**
 * The virus-scan hook: every uploaded file passes through the operator's scanner before it is
 * stored. We ship no scanner (counties run different products — ClamAV, a provincial gateway, a
 * commercial engine); the operator names a module in DOCUMENT_SCANNER whose default export is a
 * `DocumentScanner` (docs/operations.md shows one for ClamAV). Without one, uploads are only
 * checked for type and size.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ScanInput = { bytes: Buffer; mime: string; sha256: string; fileName: string };
/** `clean: false` refuses the upload; `reason` (e.g. the signature name) is shown to the uploader. */
export type ScanVerdict = { clean: true } | { clean: false; reason: string };
/** May be slow (a network scanner): it runs before the upload's transaction opens, never inside it. */
export type DocumentScanner = (file: ScanInput) => ScanVerdict | Promise<ScanVerdict>;

/** Loads the operator's scanner module; a module without one fails the start, so no upload slips through unscanned. */
export async function loadDocumentScanner(modulePath: string): Promise<DocumentScanner> {
  const mod = await import(pathToFileURL(resolve(modulePath)).href);
  if (typeof mod.default !== 'function') {
    throw new Error(`DOCUMENT_SCANNER=${modulePath}: the module must export a default function (file) => ({ clean: true } | { clean: false, reason })`);
  }
  return mod.default as DocumentScanner;
}
