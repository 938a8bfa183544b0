/**
 * `npm start` builds only when needed (issue 13): the build is stamped with a hash of what it is made
 * from (src/, web/, migrations/, scripts/, package.json, package-lock.json, the tsconfig files), and
 * `prestart` rebuilds only when that hash differs from dist/.build-stamp, or the build is missing.
 * A content hash, not modification times: a git checkout or a copy touches every file's time.
 *
 *   node scripts/build-if-changed.mjs          build when the sources changed (prestart)
 *   node scripts/build-if-changed.mjs --write  record the current sources as built (end of `npm run build`)
 */
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const STAMP = join(root, 'dist', '.build-stamp');
const INPUTS = ['src', 'web', 'migrations', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.check.json'];
const OUTPUTS = [join(root, 'dist', 'src', 'main.js'), join(root, 'dist', 'web', 'index.html')];
// tests are not part of the build; editors' swap files are not sources
const skipped = (name) => name === 'node_modules' || name.endsWith('.test.ts') || name.startsWith('.') || name.endsWith('~');

function* files(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) return yield path;
  for (const name of readdirSync(path).sort()) if (!skipped(name)) yield* files(join(path, name));
}

export function sourceHash() {
  const h = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(root, input))) h.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex');
}

const hash = sourceHash();
if (process.argv.includes('--write')) {
  writeFileSync(STAMP, hash + '\n');
} else {
  const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : null;
  const missing = OUTPUTS.find((f) => !existsSync(f));
  if (!missing && built === hash) {
    console.log('build is current (sources unchanged since the last build); not rebuilding');
  } else {
    console.log(missing ? `building: ${relative(root, missing)} is missing` : built ? 'building: sources changed since the last build' : 'building: no record of the last build');
    execSync('npm run build', { cwd: root, stdio: 'inherit' });
  }
}
