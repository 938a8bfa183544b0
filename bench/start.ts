/**
 * `node --import tsx bench/start.ts [--runs N --write-docs]` — how long `npm start` takes on an
 * unchanged checkout with an existing data folder, to the first 200 from /api/health (issue 13:
 * target ≤ 3 s). The build is brought up to date and the data folder made (first start, demo seeded)
 * before the clock runs; then each run spawns `npm start`, polls /api/health every 20 ms, and stops
 * the server with SIGTERM. Also timed alone: prestart's check that the build is current.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/platform/config.js';

const { values: opts } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { runs: { type: 'string', default: '5' }, 'write-docs': { type: 'boolean', default: false } } });
const root = projectRoot();
const dataDir = mkdtempSync(join(tmpdir(), 'tongban-bench-start-'));
const loadStart = loadavg()[0];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function start(): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.HOST;
  const t0 = performance.now();
  const npm = spawn('npm', ['start'], { cwd: root, env, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => npm.on('exit', (code) => r(code)));
  for (;;) {
    if (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status === 200, () => false)) break;
    if (npm.exitCode !== null) throw new Error(`npm start exited ${npm.exitCode}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  npm.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`npm start exited ${code} after SIGTERM`);
  return ms;
}

execFileSync('node', ['scripts/build-if-changed.mjs'], { cwd: root, stdio: 'inherit' });
const t = performance.now();
execFileSync('node', ['scripts/build-if-changed.mjs'], { cwd: root, stdio: 'ignore' });
const checkMs = performance.now() - t;
console.error(`first start (new data folder, demo seeded; not timed: ${((await start()) / 1000).toFixed(1)} s)`);
const runs: number[] = [];
for (let i = 0; i < Number(opts.runs); i++) {
  runs.push(await start());
  console.error(`run ${i + 1}: ${(runs.at(-1)! / 1000).toFixed(2)} s`);
}
rmSync(dataDir, { recursive: true, force: true });
const sorted = [...runs].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const cpu = cpus();
const lines = [
  `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  `- machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}; 1-min load average ${loadStart.toFixed(1)} → ${loadavg()[0].toFixed(1)} (start → end)`,
  '',
  '| figure | value |',
  '|---|---:|',
  `| \`npm start\` → first 200 from /api/health, unchanged checkout, existing data folder (PGlite), median of ${runs.length} | ${(median / 1000).toFixed(2)} s |`,
  `| the same, fastest / slowest run | ${(sorted[0] / 1000).toFixed(2)} s / ${(sorted.at(-1)! / 1000).toFixed(2)} s |`,
  `| of which prestart's check that the build is current (content hash of the sources) | ${(checkMs / 1000).toFixed(2)} s |`,
  '',
  `Target ≤ 3 s: ${median <= 3000 ? 'met' : 'not met'} on this run. Before, prestart ran the whole build on every start (11.9 s on a quiet machine, issue 13).`,
];
console.log(lines.join('\n'));
if (opts['write-docs']) {
  const file = join(root, 'docs', 'performance.md');
  const section = ['<!-- bench:start:start -->', '## `npm start` on an unchanged checkout', '', 'Measured by `node --import tsx bench/start.ts --write-docs`.', '', ...lines, '<!-- bench:start:end -->'].join('\n');
  let text = readFileSync(file, 'utf8');
  const re = /<!-- bench:start:start -->[\s\S]*?<!-- bench:start:end -->/;
  text = re.test(text) ? text.replace(re, section) : text.trimEnd() + '\n\n' + section + '\n';
  writeFileSync(file, text);
}
