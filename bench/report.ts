/**
 * The benchmark's output: one table (figure, ours, bare SQL, ratio) printed to the terminal and, with
 * --write-docs, written as Markdown into docs/performance.md. Each driver has its own marked section
 * there, so a PGlite run and a PostgreSQL run can both be recorded without overwriting each other.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type Row = { figure: string; ours: string; bare: string; ratio: string };
export type Machine = {
  driver: string; server: string; cpus: number; cpuModel: string; memoryGb: number; node: string; date: string;
  /** 1-minute load average at the start and end: other work on the machine shows up in the figures */
  load: [number, number];
};
export type Report = { machine: Machine; sizes: string; rows: Row[]; notes: string[] };

export function printTable(r: Report) {
  const head: Row = { figure: 'figure', ours: 'ours (API)', bare: 'bare SQL', ratio: 'ratio' };
  const all = [head, ...r.rows];
  const w = (k: keyof Row) => Math.max(...all.map((x) => width(x[k])));
  const line = (x: Row) => `${pad(x.figure, w('figure'))} | ${pad(x.ours, w('ours'))} | ${pad(x.bare, w('bare'))} | ${x.ratio}`;
  console.log('\n' + machineLine(r));
  console.log(line(head));
  console.log('-'.repeat(width(line(head)) + 4));
  for (const x of r.rows) console.log(line(x));
  for (const n of r.notes) console.log(`  · ${n}`);
}

const machineLine = (r: Report) =>
  `${r.machine.driver} (${r.machine.server}) · ${r.sizes} · ${r.machine.cpus} CPU ${r.machine.cpuModel} · ${r.machine.memoryGb} GB · Node ${r.machine.node} · load ${loadText(r)} · ${r.machine.date}`;
const loadText = (r: Report) => r.machine.load.map((l) => l.toFixed(1)).join(' → ');

// CJK characters take two terminal columns; count them so the table lines up.
const width = (s: string) => [...s].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

const HEADER = `# Performance

Measured by \`npm run bench\` (bench/run.ts). Each figure is done twice on the same database in the same
run: once through the service (HTTP API on a real 127.0.0.1 socket with a logged-in clerk, or the
import function the CLI uses) and once as the bare SQL that does the same work. The ratio says how
many times the bare SQL's cost ours is (time ours ÷ time bare, or rate bare ÷ rate ours), so it shows
the service's own overhead — sessions, jurisdiction checks, validation, encryption, history, audit,
JSON — apart from the database's. No test asserts on these numbers.

Reproduce: \`npm run bench -- --write-docs\` (PGlite) and
\`DATABASE_URL=postgres://… npm run bench -- --write-docs\` (PostgreSQL, in a throwaway schema).
Sizes: \`--persons N --cases N --legacy N\` (defaults 100000, 10000 and 30000).
`;

export function writeDocs(r: Report, file: string) {
  const key = r.machine.driver;
  const section = [
    `<!-- bench:${key}:start -->`,
    `## ${key === 'pglite' ? 'PGlite (embedded, default)' : 'PostgreSQL server'}`,
    '',
    `- date: ${r.machine.date}`,
    `- database: ${r.machine.server}`,
    `- machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB RAM, Node ${r.machine.node}; 1-min load average ${loadText(r)} (start → end)`,
    `- data: ${r.sizes}`,
    '',
    '| figure | ours (API) | bare SQL | ratio |',
    '|---|---:|---:|---:|',
    ...r.rows.map((x) => `| ${x.figure} | ${x.ours} | ${x.bare} | ${x.ratio} |`),
    '',
    ...r.notes.map((n) => `- ${n}`),
    `<!-- bench:${key}:end -->`,
  ].join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const re = new RegExp(`<!-- bench:${key}:start -->[\\s\\S]*?<!-- bench:${key}:end -->`);
  // PGlite's section stays first whichever driver ran first, so the file reads the same every time
  if (re.test(text)) text = text.replace(re, section);
  else if (key === 'pglite' && text.includes('<!-- bench:postgres:start -->')) text = text.replace('<!-- bench:postgres:start -->', `${section}\n\n<!-- bench:postgres:start -->`);
  else text = text.trimEnd() + '\n\n' + section + '\n';
  writeFileSync(file, text);
}
