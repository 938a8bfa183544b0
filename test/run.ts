/**
 * The whole suite in one process, so the embedded database (PGlite) starts once and is shared.
 * With DATABASE_URL set, the same tests run against PostgreSQL in a fresh schema (see test/harness.ts).
 * Usage: npm test [-- filter]   (filter = a substring of the test file paths to run)
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];

function find(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : find(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = [...find(join(root, 'src')), ...find(join(root, 'test'))]
  .filter((f) => !filter || relative(root, f).includes(filter))
  .sort();
for (const f of files) await import(pathToFileURL(f).href);
