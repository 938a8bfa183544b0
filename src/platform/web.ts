/**
 * Serves the built web app (dist/web) at /, with every non-API path answering index.html so the
 * browser's router can take it. Without a build (API-only development) nothing is served.
 */
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './config.js';
import type { HttpServer } from './http.js';

export async function webApp(app: HttpServer) {
  const root = join(projectRoot(), 'dist', 'web');
  if (!existsSync(join(root, 'index.html'))) return;
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
