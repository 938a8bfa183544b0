/**
 * Security headers (@fastify/helmet) on every answer. The Content-Security-Policy allows scripts only
 * from our own origin — the Vite build emits external module scripts and no inline script — and no
 * framing at all. Styles need 'unsafe-inline': antd's CSS-in-JS writes <style> elements at run time
 * and several of its components set style attributes; a nonce would cover the elements but not the
 * attributes, so the least permissive policy that renders antd is `style-src 'self' 'unsafe-inline'`
 * (a style cannot run code; script-src stays strict). HSTS only when the request came over HTTPS,
 * as seen through the trusted proxy (TRUST_PROXY), so a plain-HTTP demo on localhost keeps working.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
};

/** The API documentation page (Swagger UI) carries its own script hashes; framing stays forbidden there too. */
export const SWAGGER_CSP = "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'";

/** What a stored scan is served with: it may be shown, never run or framed by another site. */
export const SCAN_CSP = "default-src 'none'; img-src 'self' data:; sandbox; frame-ancestors 'self'";

export async function securityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
}
