/**
 * Serves the built web app (dist/web) at /, with every non-API path answering index.html so the
 * browser's router can take it. Without a build (API-only development) nothing is served.
 *
 * Issue 13 item 5 (phones on poor networks): files go out brotli- or gzip-compressed, from the
 * NAME.br / NAME.gz that scripts/compress-web.mjs writes at build time (never compressed per
 * request); the content-hashed files under /assets/ are cached for a year as immutable, while
 * index.html, which names them, is revalidated on every visit (no-cache).
 */
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { projectRoot } from './config.js';
import type { HttpServer } from './http.js';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Vite names what it builds into assets/ NAME-HASH.EXT: a changed file gets a new name. */
const hashed = (path: string) => path.includes(`${sep}assets${sep}`);

export async function webApp(app: HttpServer) {
  const root = join(projectRoot(), 'dist', 'web');
  if (!existsSync(join(root, 'index.html'))) return;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => reply.header('cache-control', hashed(path) ? IMMUTABLE : REVALIDATE),
  });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.callNotFound();
    return reply.header('cache-control', REVALIDATE).sendFile('index.html');
  });
}
