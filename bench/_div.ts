import { loadConfig } from '../src/platform/config.js';
import { openDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { nationalDivisionRows, parentCodeOf } from '../src/modules/org/divisions.js';
import { timed } from './measure.js';
import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
const base = loadConfig({ ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'div-')), LOG_LEVEL: 'warn' });
const schema = base.databaseUrl ? `exp_${Date.now()}` : undefined;
const db = await openDb({ ...base, dbSchema: schema });
await migrate(db);
const sorted = [...nationalDivisionRows()].sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
const paths = new Map<string, string>([['000000', '']]);
const rows = sorted.map((r) => { const p = parentCodeOf(r.code); const path = `${paths.get(p)}${r.code}.`; paths.set(r.code, path); return { ...r, level: ({2:1,4:2,6:3,9:4,12:5} as any)[r.code.length], p, path }; });
async function load(label: string, ddl: string, post = '') {
  await db.exec('DROP TABLE IF EXISTS s; ' + ddl);
  const { ms } = await timed(() => db.tx(async (q) => {
    for (let i = 0; i < rows.length; i += 5000) { const b = rows.slice(i, i + 5000);
      await q.query(`INSERT INTO s (code, name, level, parent_code, path) SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[])`, [b.map(r=>r.code), b.map(r=>r.name), b.map(r=>r.level), b.map(r=>r.p), b.map(r=>r.path)]); }
    if (post) for (const s of post.split(';').filter((x) => x.trim())) await q.query(s);
  }));
  console.log(label, (ms / 1000).toFixed(1), 's');
}
await load('all indexes', 'CREATE TABLE s (LIKE division INCLUDING ALL)');
await load('no trgm', 'CREATE TABLE s (LIKE division INCLUDING ALL); DROP INDEX IF EXISTS s_name_idx;');
const idx = await db.query(`select indexname from pg_indexes where tablename='s'`); console.log(idx);
await load('pk only', 'CREATE TABLE s (LIKE division INCLUDING CONSTRAINTS INCLUDING DEFAULTS); ALTER TABLE s ADD PRIMARY KEY (code)');
await load('pk only, then create 3 indexes', 'CREATE TABLE s (LIKE division INCLUDING CONSTRAINTS INCLUDING DEFAULTS); ALTER TABLE s ADD PRIMARY KEY (code)',
  'CREATE INDEX ON s (parent_code, code); CREATE INDEX ON s (path text_pattern_ops); CREATE INDEX ON s USING gin (name gin_trgm_ops)');
await db.close();
if (schema) { const pg = (await import('pg')).default; const c = new pg.Client(base.databaseUrl); await c.connect(); await c.query(`DROP SCHEMA ${schema} CASCADE`); await c.end(); }
