/**
 * The Fastify server: zod validation, OpenAPI at /api/openapi.json and /api/docs, security headers,
 * the refusals decided before a body is read, and one error shape for every failure —
 * `{ error: { code, zh, en, field? } }` — so a client can always show the user what was wrong and
 * what to do, in their language (http-errors.ts).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyHttpOptions, type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { invalid } from '../domain/errors.js';
import { errorResponse, rawErrorResponse, type ErrorBody } from './http-errors.js';
import { csrfRefusal, MAX_URL_LENGTH, nulField, refuseUnread, segmentTooLong, segmentTooLongError, URL_STATUS, urlTooLong } from './http-guards.js';
import { securityHeaders, SWAGGER_CSP } from './security-headers.js';

export type { ErrorBody } from './http-errors.js';

/**
 * SEC-1: request lines reach the logs, so what a user typed into a lookup must not: search values
 * are replaced, and wherever they appear in the URL a certificate number (the ID number and two digits
 * of category and level — health data — kept to its first 3), a citizen-ID-shaped number (first 3 and
 * last 4) and a mainland mobile number (first 3, with or without +86) are masked (issue 13 item 6).
 */
export function maskUrl(url: string): string {
  return url
    .replace(/([?&](?:q|idNumber|phone|mobile|name|certificateNumber|certNo)=)[^&]*/gi, '$1***')
    .replace(/(?<![\dA-Za-z])(\d{3})\d{14}[\dXx][1-7][1-4](?![\dA-Za-z])/g, (_, a) => `${a}${'*'.repeat(17)}`)
    .replace(/(\d{3})\d{8,11}(\d{3}[\dXx])/g, (_, a, b) => `${a}***********${b}`.slice(0, 18))
    .replace(/(?<![\dA-Za-z])((?:\+|%2B)?86)?(1[3-9]\d)\d{8}(?![\dA-Za-z])/gi, (_, cc = '', a) => `${cc}${a}********`);
}

/** JSON bodies are small forms; routes that take files or imports declare their own, larger limit. */
export const JSON_BODY_LIMIT = 256 * 1024;

export type HttpOptions = { logLevel: string; bodyLimit?: number; trustProxy?: boolean | number | string; publicOrigins?: string[] };

export async function createHttpServer(opts: HttpOptions) {
  const options: FastifyHttpOptions<Server> = {
    logger: {
      level: opts.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization'],
      serializers: { req: (req) => ({ method: req.method, url: maskUrl(req.url), remoteAddress: req.ip }) },
    },
    bodyLimit: opts.bodyLimit ?? JSON_BODY_LIMIT,
    // a hop count is accepted at run time (proxy-addr), though Fastify's types name only lists and booleans
    trustProxy: (opts.trustProxy ?? false) as boolean | string,
    maxParamLength: 200, // = MAX_SEGMENT_LENGTH; the onRequest guard answers 414 before the router when a segment is longer
    // the framework's own refusals (bad percent-encoding, over-long parameters) in our shape
    frameworkErrors: (err, _req, reply) => {
      const { status, body } = errorResponse(err as FastifyError);
      (reply as FastifyReply).status(status).send(body);
    },
    // errors Node's HTTP parser raises before there is a request (431 headers too large, malformed requests)
    clientErrorHandler: (err: Error & { code?: string }, socket: Socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, code, zh, en] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'request.headers_too_large', '请求头过大（如 Cookie 过多）。请清除本站 Cookie 后重试。', 'The request headers are too large (too many cookies?). Clear this site’s cookies and retry.']
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'request.timeout', '请求超时，请重试。', 'The request timed out; retry.']
            : [400, 'request.malformed', '请求格式有误，无法处理。', 'The request is malformed and cannot be handled.'];
      if (socket.writable) socket.write(rawErrorResponse(status, code, { zh, en }));
      socket.destroy();
    },
  };
  const app = Fastify(options).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Decided from the request line and headers alone, before anything else runs.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.length > MAX_URL_LENGTH) return refuseUnread(reply, URL_STATUS, urlTooLong());
    if (segmentTooLong(req.url)) return refuseUnread(reply, URL_STATUS, segmentTooLongError());
    const crossSite = csrfRefusal(req, opts.publicOrigins ?? []);
    if (crossSite) return refuseUnread(reply, 403, crossSite);
  });
  // PostgreSQL cannot hold a NUL character in text: refused with the field named, before any handler.
  app.addHook('preValidation', async (req) => {
    const field = nulField(req.params, 'params') ?? nulField(req.query, 'querystring') ?? nulField(req.body, 'body');
    if (field) throw invalid('request.nul_character', `${field} 含有不允许的空字符（NUL）。请删除后重试。`, `${field} holds a forbidden NUL character. Remove it and retry.`, field);
  });
  await securityHeaders(app);
  // Graceful shutdown (issue 13 item 6): once closing, a request in flight is answered with
  // `connection: close`, so its kept-alive connection ends with it and close() is not left waiting
  // for the client to hang up (Fastify answers 503 to any new request on such a connection meanwhile).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Tongban 通办 API', version: '0.1.0', description: '残疾人证“通办”服务接口 — disability certificate service API' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tb_session' },
          partnerToken: { type: 'http', scheme: 'bearer', description: '合作单位令牌（POST /api/partner/token） Partner agency token' },
        },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: SWAGGER_CSP });
  app.get('/api/openapi.json', { schema: { hide: true, security: [] } }, async () => app.swagger());

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, body } = errorResponse(err, { bodyLimit: req.routeOptions?.bodyLimit });
    if (status >= 500) { req.log.error(err); if (process.env.DEBUG_500) console.error(err); }
    const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter) reply.header('retry-after', String(retryAfter));
    reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const where = maskUrl(req.url.replaceAll('\u0000', '')).slice(0, 200);
    reply.status(404).send({
      error: {
        code: 'route.not_found',
        zh: `没有此接口：${req.method} ${where}。请查看 /api/docs。`,
        en: `No such endpoint: ${req.method} ${where}. See /api/docs.`,
      },
    } satisfies ErrorBody);
  });
  return app;
}

export type HttpServer = Awaited<ReturnType<typeof createHttpServer>>;
export type AnyServer = FastifyInstance | HttpServer;
