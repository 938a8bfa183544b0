/**
 * `npm run cli -- <command>`: migrate, seed-demo, import-divisions FILE|--national, workflow-diagram MATTER [en],
 * workflow-docs, audit-verify, import-certificates FILE --county CODE, import-hukou-moves FILE, sweep [--date YYYY-MM-DD].
 * Each command opens the same database the server would (DATA_DIR or DATABASE_URL).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createContext } from '../app.js';
import { DomainError } from '../domain/errors.js';
import { MOVE_COLUMNS } from '../domain/hukou-moves.js';
import { formatLegacyProblems, formatRowProblems } from '../domain/legacy-certificates.js';
import { mermaidDiagram } from '../domain/workflow/diagram.js';
import { matterDef } from '../domain/workflow/registry.js';
import { verifyAuditChains } from '../modules/audit/audit-chain.js';
import { importLegacyCertificates } from '../modules/certificates/legacy-import.js';
import { importHukouMoves } from '../modules/sweeps/hukou-moves.js';
import { runDailySweep } from '../modules/sweeps/sweep.js';
import { importDivisions, nationalDivisionRows, readDivisionCsv } from '../modules/org/divisions.js';
import { loadConfig, projectRoot } from '../platform/config.js';
import { openDb } from '../platform/db.js';
import { migrate } from '../platform/migrate.js';
import { seedDemoIfEmpty } from './seed-demo.js';
import { workflowDocs } from './workflow-docs.js';

const [command, ...args] = process.argv.slice(2);

async function withDb<T>(fn: (ctx: ReturnType<typeof createContext>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    const ctx = createContext(db, config);
    await migrate(db, ctx.crypto);
    return await fn(ctx);
  } finally {
    await db.close();
  }
}

const commands: Record<string, () => Promise<number>> = {
  async migrate() {
    await withDb(async () => console.log('database is up to date'));
    return 0;
  },
  async 'seed-demo'() {
    await withDb((ctx) => seedDemoIfEmpty(ctx, console.log));
    return 0;
  },
  async 'import-divisions'() {
    const source = args[0];
    if (!source) {
      console.error('usage: npm run cli -- import-divisions FILE.csv | --national');
      return 2;
    }
    const started = Date.now();
    const rows = source === '--national' ? nationalDivisionRows() : readDivisionCsv(readFileSync(source, 'utf8'));
    const n = await withDb((ctx) => importDivisions(ctx.db, rows));
    console.log(`imported ${n} divisions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  },
  async 'import-certificates'() {
    const usage = 'usage: npm run cli -- import-certificates FILE.csv --county CODE   (a county\'s existing certificate holders; see docs/operations.md)';
    let parsed;
    try {
      parsed = parseArgs({ args, options: { county: { type: 'string' } }, allowPositionals: true });
    } catch {
      parsed = null;
    }
    const file = parsed?.positionals[0];
    const county = parsed?.values.county;
    if (!file || !county || parsed!.positionals.length > 1) {
      console.error(usage);
      return 2;
    }
    if (!existsSync(file)) {
      console.error(`找不到文件 ${file}\nNo such file: ${file}`);
      return 2;
    }
    const started = Date.now();
    // the OS account that ran the import goes into the audit entry: the CLI has no staff login
    const operator = process.env.USER || process.env.LOGNAME || 'unknown';
    const r = await withDb((ctx) => importLegacyCertificates(ctx, { fileName: basename(file), bytes: readFileSync(file), countyCode: county, operator }));
    if (!r.ok) {
      const bad = new Set(r.problems.map((p) => p.line)).size;
      console.error(formatLegacyProblems(r.problems).join('\n'));
      console.error(`${bad}行有问题（共${r.rows}行），未导入任何数据。请改正后重新导入整个文件。`);
      console.error(`${bad} of ${r.rows} rows have problems; nothing was imported. Fix them and import the whole file again.`);
      return 1;
    }
    const s = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`导入${r.imported}张残疾人证（有效${r.active}张、过期${r.expired}张、目测${r.visualAssessment}张，新建人员${r.newPersons}人），跳过已有${r.skipped}张，用时${s}秒`);
    console.log(`imported ${r.imported} certificates (${r.active} active, ${r.expired} expired, ${r.visualAssessment} visually assessed; ${r.newPersons} new persons), skipped ${r.skipped} already on file, in ${s} s`);
    return 0;
  },
  async 'import-hukou-moves'() {
    const file = args[0];
    if (!file || args.length > 1) {
      console.error('usage: npm run cli -- import-hukou-moves FILE.csv   (hukou moves shared by the police; see docs/operations.md)');
      return 2;
    }
    if (!existsSync(file)) {
      console.error(`找不到文件 ${file}\nNo such file: ${file}`);
      return 2;
    }
    // as for import-certificates, the OS account goes into the audit entry: the CLI has no staff login
    const operator = process.env.USER || process.env.LOGNAME || 'unknown';
    const r = await withDb((ctx) => importHukouMoves(ctx, { fileName: basename(file), bytes: readFileSync(file), actor: 'system', operator, chain: 'system:data-sharing', scope: null }));
    if (!r.ok) {
      const bad = new Set(r.problems.map((p) => p.line)).size;
      console.error(formatRowProblems(r.problems, MOVE_COLUMNS).join('\n'));
      console.error(`${bad}行有问题（共${r.rows}行），未导入任何数据。请改正后重新导入整个文件。`);
      console.error(`${bad} of ${r.rows} rows have problems; nothing was imported. Fix them and import the whole file again.`);
      return 1;
    }
    console.log(`导入户口迁移${r.imported}条，跳过已有${r.skipped}条，非持证人员（本系统无档案）${r.notOnFile}条`);
    console.log(`imported ${r.imported} hukou moves, skipped ${r.skipped} already on file, ${r.notOnFile} of persons not on file`);
    console.log(`待核查名单新增：冻结${r.freezeCandidates}条，注销${r.cancelCandidates}条`);
    console.log(`on the old counties' review lists now: ${r.freezeCandidates} to freeze, ${r.cancelCandidates} to cancel`);
    return 0;
  },
  async sweep() {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { date: { type: 'string' } } });
    } catch {
      console.error('usage: npm run cli -- sweep [--date YYYY-MM-DD]   (the daily sweep the server runs at 02:00; default: today in China)');
      return 2;
    }
    const s = await withDb((ctx) => runDailySweep(ctx, parsed.values.date ?? ctx.clock.today(), console));
    console.log(`${s.date} 日常巡检：检查${s.examined}张证，到期${s.expired}张，新增待核查冻结${s.freezeCandidates}张、注销${s.cancelCandidates}张，撤下不再适用的${s.withdrawn}条，失败${s.failed}张`);
    console.log(`${s.date} daily sweep: ${s.examined} certificates examined, ${s.expired} expired, ${s.freezeCandidates} new freeze and ${s.cancelCandidates} new cancel candidates, ${s.withdrawn} no longer applying withdrawn, ${s.failed} failed`);
    return s.failed ? 1 : 0;
  },
  async 'workflow-diagram'() {
    process.stdout.write(mermaidDiagram(matterDef(args[0] ?? 'new'), args[1] === 'en' ? 'en' : 'zh'));
    return 0;
  },
  async 'workflow-docs'() {
    for (const doc of workflowDocs()) {
      writeFileSync(join(projectRoot(), doc.file), doc.text);
      console.log(`wrote ${doc.file}`);
    }
    return 0;
  },
  async 'audit-verify'() {
    const report = await withDb((ctx) => verifyAuditChains(ctx.db));
    console.log(`audit chains: ${report.chains}, entries: ${report.entries}`);
    for (const b of report.broken) console.log(`BROKEN chain ${b.chain} at entry ${b.seq}: ${b.problem}`);
    console.log(report.broken.length ? 'audit trail: TAMPERED 审计链已被篡改' : 'audit trail: intact 审计链完整');
    return report.broken.length ? 1 : 0;
  },
};

const run = commands[command ?? ''];
if (!run) {
  console.error(`commands: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
try {
  process.exit(await run());
} catch (e) {
  if (e instanceof DomainError) {
    console.error(`${e.text.zh}\n${e.text.en}`);
    process.exit(1);
  }
  throw e;
}
