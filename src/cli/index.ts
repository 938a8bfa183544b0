/**
 * `npm run cli -- <command>`: migrate, seed-demo, import-divisions FILE|--national (CSV or .xlsx), workflow-diagram MATTER [en],
 * workflow-docs, audit-verify, audit-seal, db-roles --service-role ROLE, import-certificates FILE --county CODE,
 * import-hukou-moves FILE, sweep [--date YYYY-MM-DD], backup FILE [--with-keys], restore FILE.
 * Each command opens the same database the server would (DATA_DIR or DATABASE_URL).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createContext } from '../app.js';
import { DomainError } from '../domain/errors.js';
import { MOVE_COLUMNS } from '../domain/hukou-moves.js';
import { formatLegacyProblems, formatRowProblems, LEGACY_COLUMNS } from '../domain/legacy-certificates.js';
import { mermaidDiagram } from '../domain/workflow/diagram.js';
import { matterDef } from '../domain/workflow/registry.js';
import { verifyAuditTrail } from '../modules/audit/checkpoints.js';
import { importLegacyCertificates } from '../modules/certificates/legacy-import.js';
import { importHukouMoves } from '../modules/sweeps/hukou-moves.js';
import { runDailySweep } from '../modules/sweeps/sweep.js';
import { DIVISION_COLUMNS, divisionFileError, importDivisions, nationalDivisionRows, readDivisionRows } from '../modules/org/divisions.js';
import { loadConfig, projectRoot } from '../platform/config.js';
import { FieldCrypto, loadKeys } from '../platform/crypto.js';
import { openDb } from '../platform/db.js';
import { problemWorkbook, readTable } from '../platform/spreadsheet.js';
import { ensureServiceRole, grantServiceRole } from '../platform/db-roles.js';
import { migrate, openMigratedDb } from '../platform/migrate.js';
import { checkRestored, keysFileText, restoreBackup, writeBackup } from './backup.js';
import { seedDemoIfEmpty } from './seed-demo.js';
import { workflowDocs } from './workflow-docs.js';

const [command, ...args] = process.argv.slice(2);

async function withDb<T>(fn: (ctx: ReturnType<typeof createContext>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openMigratedDb(config);
  try {
    return await fn(createContext(db, config));
  } finally {
    await db.close();
  }
}

/** The problems of a refused import as an .xlsx next to the input (xihu.csv → xihu.problems.xlsx), for the user to work through. */
function reportProblems(input: string, workbook: Uint8Array) {
  const out = join(dirname(input), `${basename(input).replace(/\.[^.]*$/, '')}.problems.xlsx`);
  writeFileSync(out, workbook);
  console.error(`问题清单已写入 ${out}`);
  console.error(`The list of problems was written to ${out}`);
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
      console.error('usage: npm run cli -- import-divisions FILE.csv|FILE.xlsx | --national');
      return 2;
    }
    const started = Date.now();
    let rows;
    if (source === '--national') rows = nationalDivisionRows();
    else {
      if (!existsSync(source)) {
        console.error(`找不到文件 ${source}\nNo such file: ${source}`);
        return 2;
      }
      const read = readDivisionRows((await readTable(readFileSync(source), basename(source))).rows);
      if (read.problems.length) {
        reportProblems(source, problemWorkbook(read.problems, DIVISION_COLUMNS));
        throw divisionFileError(read.problems);
      }
      rows = read.rows;
    }
    const n = await withDb((ctx) => importDivisions(ctx.db, rows));
    console.log(`imported ${n} divisions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  },
  async 'import-certificates'() {
    const usage = 'usage: npm run cli -- import-certificates FILE.csv|FILE.xlsx --county CODE   (a county\'s existing certificate holders; see docs/operations.md)';
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
      reportProblems(file, problemWorkbook(r.problems, LEGACY_COLUMNS));
      console.error(`${bad}行有问题（共${r.rows}行），未导入任何数据。请改正后重新导入整个文件。`);
      console.error(`${bad} of ${r.rows} rows have problems; nothing was imported. Fix them and import the whole file again.`);
      return 1;
    }
    const s = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`导入${r.imported}张残疾人证（有效${r.active}张、过期${r.expired}张、目测${r.visualAssessment}张，新建人员${r.newPersons}人），跳过已有${r.skipped}张，用时${s}秒`);
    console.log(`imported ${r.imported} certificates (${r.active} active, ${r.expired} expired, ${r.visualAssessment} visually assessed; ${r.newPersons} new persons), skipped ${r.skipped} already on file, in ${s} s`);
    // ID-3: rows for persons already on file are held, not loaded; the operator is told where they went
    if (r.duplicates) {
      console.log(`${r.duplicates}行的持证人已在系统中登记，未导入，已列入“疑似重复人员”名单，由督导核实处理`);
      console.log(`${r.duplicates} rows are for persons already on file: not loaded, but put on the duplicate-candidates list for a supervisor to resolve`);
    }
    return 0;
  },
  async 'import-hukou-moves'() {
    const file = args[0];
    if (!file || args.length > 1) {
      console.error('usage: npm run cli -- import-hukou-moves FILE.csv|FILE.xlsx   (hukou moves shared by the police; see docs/operations.md)');
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
      reportProblems(file, problemWorkbook(r.problems, MOVE_COLUMNS));
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
  async backup() {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { 'with-keys': { type: 'boolean' } }, allowPositionals: true });
    } catch {
      parsed = null;
    }
    const file = parsed?.positionals[0];
    if (!file || parsed!.positionals.length > 1) {
      console.error('usage: npm run cli -- backup FILE [--with-keys]   (the keys are not in FILE; --with-keys writes them to FILE.keys.json — keep that elsewhere; see docs/operations.md)');
      return 2;
    }
    const config = loadConfig();
    // the keys first: a backup asked for with its keys must not be written when they cannot be found
    const keys = parsed!.values['with-keys'] ? keysFileText(config) : null;
    const b = await writeBackup(config, file);
    console.log(`备份已写入 ${file}（${b.kind}，${b.bytes} 字节），不含加密密钥\nbackup written to ${file} (${b.kind}, ${b.bytes} bytes), without the encryption keys`);
    if (keys) {
      writeFileSync(`${file}.keys.json`, keys, { mode: 0o600 });
      chmodSync(`${file}.keys.json`, 0o600); // the mode above applies only to a new file, not to one being overwritten
      console.log(`密钥已写入 ${file}.keys.json：请与备份分开保管\nkeys written to ${file}.keys.json: store it apart from the backup`);
    }
    return 0;
  },
  async restore() {
    const file = args[0];
    if (!file || args.length > 1) {
      console.error('usage: npm run cli -- restore FILE   (into an empty database: DATA_DIR without a pg folder, or an empty DATABASE_URL/DB_SCHEMA; see docs/operations.md)');
      return 2;
    }
    if (!existsSync(file)) {
      console.error(`找不到文件 ${file}\nNo such file: ${file}`);
      return 2;
    }
    const config = loadConfig();
    await restoreBackup(config, file);
    const c = await checkRestored(config);
    console.log(`已恢复 ${c.tables} 张表、${c.rows} 行；审计链 ${c.auditChains} 条，断链 ${c.auditBroken} 条\nrestored ${c.tables} tables, ${c.rows} rows; audit chains: ${c.auditChains}, broken: ${c.auditBroken}`);
    const keys = {
      true: '密钥正确：可解密个人信息\nkeys: they decrypt the personal data',
      false: '当前密钥无法解密这些数据：请放回备份时的密钥（dev-keys.json 或 TONGBAN_DATA_KEY/TONGBAN_INDEX_KEY）\nkeys: the keys in force do NOT decrypt this data — put back the keys of the backup (dev-keys.json or TONGBAN_DATA_KEY/TONGBAN_INDEX_KEY)',
      null: '未检查密钥（没有人员数据或尚未放置密钥）\nkeys: not checked (no person on file, or no keys in place yet)',
    }[String(c.keysOpen) as 'true' | 'false' | 'null'];
    console.log(keys);
    return c.auditBroken || c.keysOpen === false ? 1 : 0;
  },
  async 'audit-verify'() {
    const report = await withDb((ctx) => verifyAuditTrail(ctx.db, ctx.auditCheckpoints));
    console.log(`audit chains: ${report.chains}, entries: ${report.entries}, signed checkpoints: ${report.checkpoints}`);
    for (const b of report.broken) console.log(`BROKEN chain ${b.chain} at entry ${b.seq}: ${b.problem}`);
    for (const b of report.badCheckpoints) console.log(`BAD CHECKPOINT ${b.file}:${b.line}: ${b.problem}`);
    const tampered = report.broken.length + report.badCheckpoints.length > 0;
    console.log(tampered ? 'audit trail: TAMPERED 审计链已被篡改' : 'audit trail: intact 审计链完整');
    return tampered ? 1 : 0;
  },
  async 'audit-seal'() {
    // the server seals every 10 minutes and at shutdown; this seals now, e.g. before a backup
    const n = await withDb((ctx) => ctx.auditCheckpoints.seal(ctx.db, ctx.clock.now()));
    console.log(`已签封${n}条审计链的链头\nsealed ${n} audit chain heads`);
    return 0;
  },
  async 'db-roles'() {
    const usage = 'usage: npm run cli -- db-roles --service-role ROLE   (PostgreSQL: run as the owner role; see docs/operations.md)';
    let role: string | undefined;
    try {
      role = parseArgs({ args, options: { 'service-role': { type: 'string' } } }).values['service-role'];
    } catch {}
    if (!role) {
      console.error(usage);
      return 2;
    }
    const config = loadConfig();
    if (!config.databaseUrl) {
      console.error('内嵌数据库（PGlite）只有一个角色，无法分权。请使用 PostgreSQL（DATABASE_URL）。\nThe embedded database (PGlite) has a single role; least privilege needs PostgreSQL (DATABASE_URL).');
      return 2;
    }
    // connects as the owner: MIGRATION_DATABASE_URL when the service's own URL is already set apart
    const db = await openDb({ ...config, databaseUrl: config.migrationDatabaseUrl ?? config.databaseUrl });
    try {
      await migrate(db, new FieldCrypto(loadKeys(config.dataDir)));
      await ensureServiceRole(db, role);
      await grantServiceRole(db, role);
    } finally {
      await db.close();
    }
    console.log(`角色 ${role} 已可登录：可读写业务表，对审计与历史表只能查询和追加。\nrole ${role} can log in: read/write on business tables, SELECT and INSERT only on the audit and history tables.`);
    return 0;
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
