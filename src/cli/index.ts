/**
 * `npm run cli -- <command>`: migrate, seed-demo, import-divisions FILE|--national, workflow-diagram MATTER [en],
 * workflow-docs, audit-verify. Each command opens the same database the server would (DATA_DIR or DATABASE_URL).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext } from '../app.js';
import { DomainError } from '../domain/errors.js';
import { mermaidDiagram } from '../domain/workflow/diagram.js';
import { matterDef } from '../domain/workflow/registry.js';
import { verifyAuditChains } from '../modules/audit/audit-chain.js';
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
    await migrate(db);
    return await fn(createContext(db, config));
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
