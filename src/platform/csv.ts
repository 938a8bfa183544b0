/** A small RFC 4180 line reader: enough for the division and certificate CSVs (quoted fields, doubled quotes). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function* csvRows(text: string): Generator<{ line: number; cells: string[] }> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    yield { line: i + 1, cells: parseCsvLine(lines[i]) };
  }
}

/**
 * A CSV file's text. Spreadsheets on Chinese Windows save "CSV" in GB18030 (GBK) rather than UTF-8,
 * so bytes that are not valid UTF-8 are read as GB18030 instead of turning names into U+FFFD.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
