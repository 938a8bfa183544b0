/**
 * The archive export (ARCH-1): one ZIP holding each file once, named so it sorts in filing order,
 * and an index.html that opens in any browser and says for every filing what it is, when it was
 * filed, where the paper was produced and which case it came through. ZIP and not PDF: see
 * docs/decisions/0007-archive-export-zip.md.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { formatSize } from '../../domain/archive.js';
import { zhDate } from '../../domain/dates.js';
import { chinaDate } from '../../platform/clock.js';
import type { ArchiveDocument } from './archive.js';

type Owner = { idNumberMasked: string; nameMasked: string; exportedAt: Date; exportedBy: string };

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/** 'HH:MM' in China time, for the export stamp. */
const chinaTime = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);

function indexHtml(documents: ArchiveDocument[], owner: Owner): string {
  const filings = documents.reduce((n, d) => n + d.references.length, 0);
  const rows = documents.flatMap((d) =>
    d.references.map((r, i) => {
      // the file's own cells span the rows of all its filings: one file, several references
      const span = d.references.length > 1 ? ` rowspan="${d.references.length}"` : '';
      const fileCells = i === 0 ? `<th scope="row"${span}>${d.no}</th>` : '';
      const tail = i === 0 ? `<td${span}><a href="${encodeURI(d.exportName)}">${html(d.exportName)}</a></td><td${span}>${formatSize(d.size)}</td><td${span}><code>${d.sha256}</code></td>` : '';
      const origin = r.origin ? `${html(r.origin.orgUnit)}<br>${html(r.origin.division)}` : '申请人网上提交<br><span lang="en">submitted online by the applicant</span>';
      return `<tr>${fileCells}<td>${zhDate(chinaDate(new Date(r.at)))}</td><td>${html(r.label.zh)}<br><span lang="en">${html(r.label.en)}</span></td><td>${html(r.fileName)}</td><td>${origin}</td><td>${html(r.case.caseNo)}<br>${html(r.case.matter.zh)}</td>${tail}</tr>`;
    }),
  );
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>人员档案 Person archive ${html(owner.idNumberMasked)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #1f1f1f; }
table { border-collapse: collapse; }
th, td { border: 1px solid #8c8c8c; padding: 4px 8px; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: bold; margin-bottom: 0.5em; }
code { font-size: 0.8em; word-break: break-all; }
</style>
</head>
<body>
<h1>人员档案（一人一档） <span lang="en">Person archive</span></h1>
<p>身份证号 <span lang="en">ID number</span>：${html(owner.idNumberMasked)}　姓名 <span lang="en">Name</span>：${html(owner.nameMasked)}</p>
<p>导出 <span lang="en">Exported</span>：${zhDate(chinaDate(owner.exportedAt))} ${chinaTime(owner.exportedAt)}，${html(owner.exportedBy)}</p>
<table>
<caption>档案材料，按归档顺序：${documents.length}份文件，${filings}次归档 <span lang="en">Documents in filing order: ${documents.length} files, ${filings} filings</span></caption>
<thead><tr><th scope="col">序号 No.</th><th scope="col">归档日期 Filed</th><th scope="col">材料类型 Type</th><th scope="col">原文件名 Original name</th><th scope="col">来源（纸质材料保管地） Origin</th><th scope="col">案件 Case</th><th scope="col">文件 File</th><th scope="col">大小 Size</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

/** Scans are already compressed (JPEG, PNG, PDF): stored as they are; only the index is deflated. */
export function archiveZip(documents: ArchiveDocument[], contents: Map<string, Buffer>, owner: Owner): Uint8Array {
  const entries: Zippable = {};
  for (const d of documents) entries[d.exportName] = [contents.get(d.sha256)!, { level: 0, mtime: new Date(d.references[0].at) }];
  entries['index.html'] = [strToU8(indexHtml(documents, owner)), { level: 6, mtime: owner.exportedAt }];
  return zipSync(entries);
}
