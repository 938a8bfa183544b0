/**
 * The Fastify server: zod validation, OpenAPI at /api/openapi.json and /api/docs, and one error
 * shape for every failure — `{ error: { code, zh, en, field? } }` — so a client can always show
 * the user what was wrong and what to do, in their language.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { DomainError, type Bilingual } from '../domain/errors.js';

const STATUS: Record<DomainError['kind'], number> = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
};

/**
 * SEC-1: request lines reach the logs, so what a user typed into a lookup must not: search values
 * are replaced and any citizen-ID-shaped number is masked wherever it appears in the URL.
 */
export function maskUrl(url: string): string {
  return url
    .replace(/([?&](?:q|idNumber|phone|name)=)[^&]*/g, '$1***')
    .replace(/(\d{3})\d{8,11}(\d{3}[\dXx])/g, (_, a, b) => `${a}***********${b}`.slice(0, 18));
}

export type ErrorBody = { error: { code: string; field?: string } & Bilingual };

export async function createHttpServer(opts: { logLevel: string; bodyLimit?: number }) {
  const app = Fastify({
    logger: {
      level: opts.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization'],
      serializers: { req: (req) => ({ method: req.method, url: maskUrl(req.url), remoteAddress: req.ip }) },
    },
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Tongban 通办 API', version: '0.1.0', description: '残疾人证“通办”服务接口 — disability certificate service API' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tb_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const body = toErrorBody(err);
    const status = statusOf(err);
    if (status >= 500) req.log.error(err);
    reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({
      error: {
        code: 'route.not_found',
        zh: `没有此接口：${req.method} ${req.url}。请查看 /api/docs。`,
        en: `No such endpoint: ${req.method} ${req.url}. See /api/docs.`,
      },
    } satisfies ErrorBody);
  });
  return app;
}

export type HttpServer = Awaited<ReturnType<typeof createHttpServer>>;
export type AnyServer = FastifyInstance | HttpServer;

function statusOf(err: FastifyError): number {
  if (err instanceof DomainError) return STATUS[err.kind];
  if (hasZodFastifySchemaValidationErrors(err)) return 422;
  return err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
}

export function toErrorBody(err: FastifyError): ErrorBody {
  if (err instanceof DomainError) return { error: { code: err.code, ...err.text, ...(err.field ? { field: err.field } : {}) } };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issue = err.validation[0];
    const where = err.validationContext ?? 'body';
    const field = [where, ...String(issue.instancePath ?? '').split('/').filter(Boolean)].join('.');
    return {
      error: {
        code: 'request.invalid',
        field,
        zh: `请求内容有误：${field} — ${issue.message}。请按接口说明更正后重试。`,
        en: `Invalid request: ${field} — ${issue.message}. Correct it as the API documentation describes and retry.`,
      },
    };
  }
  const known: Record<string, Bilingual> = {
    FST_ERR_CTP_BODY_TOO_LARGE: { zh: '提交的内容过大（上限1MB）。请减小内容后重试；文件请通过文件上传接口提交。', en: 'The request body is too large (limit 1 MB). Send less; upload files through the file endpoint.' },
    FST_ERR_CTP_INVALID_MEDIA_TYPE: { zh: '不支持的内容类型，请以 application/json 提交。', en: 'Unsupported content type; send application/json.' },
    FST_ERR_CTP_EMPTY_JSON_BODY: { zh: '请求体为空，请提交 JSON 内容。', en: 'The body is empty; send a JSON body.' },
    FST_ERR_CTP_INVALID_JSON_BODY: { zh: '请求体不是有效的 JSON，请检查格式。', en: 'The body is not valid JSON; check its format.' },
  };
  const text = (err.code && known[err.code]) ?? (err instanceof SyntaxError ? known.FST_ERR_CTP_INVALID_JSON_BODY : undefined);
  if (text) return { error: { code: err.code ?? 'request.invalid_json', ...text } };
  if ((err.statusCode ?? 500) < 500) return { error: { code: err.code ?? 'request.error', zh: `请求有误：${err.message}`, en: `Bad request: ${err.message}` } };
  return { error: { code: 'server.error', zh: '服务器内部错误，操作未生效。请稍后重试；如持续出现请联系管理员。', en: 'Internal error; nothing was changed. Retry later and tell the administrator if it persists.' } };
}
