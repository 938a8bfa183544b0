/**
 * After `vite build`: writes NAME.br (brotli, quality 11) and NAME.gz (gzip, level 9) beside every
 * text asset in dist/web, so the server sends them as they are (@fastify/static preCompressed) and
 * never compresses a request on its own CPU (issue 13 item 5: phones on poor networks).
 * A file is left alone when compressing does not make it smaller.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..', 'dist', 'web');
const TEXT = /\.(js|mjs|css|html|svg|json|txt|map|woff)$/; // woff (1) is uncompressed inside; woff2 already is

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}

if (!existsSync(root)) {
  console.error(`compress-web: no ${root}; run vite build first`);
  process.exit(1);
}
let raw = 0, br = 0, gz = 0, n = 0;
for (const file of [...files(root)]) {
  if (!TEXT.test(file)) continue;
  const data = readFileSync(file);
  const b = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  const g = gzipSync(data, { level: 9 });
  if (b.length < data.length) writeFileSync(file + '.br', b);
  if (g.length < data.length) writeFileSync(file + '.gz', g);
  raw += data.length; br += Math.min(b.length, data.length); gz += Math.min(g.length, data.length); n++;
}
const kb = (x) => `${(x / 1024).toFixed(0)} KB`;
console.log(`compress-web: ${n} files, ${kb(raw)} → brotli ${kb(br)}, gzip ${kb(gz)}`);
