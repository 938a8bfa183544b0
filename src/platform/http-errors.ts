/**
 * One error shape for every failure, the framework's own included: `{ error: { code, zh, en, field? } }`.
 * Fastify, its plugins and the database drivers each raise errors in their own form; this maps them
 * all to a status and a bilingual text that says what was wrong and what to do.
 */
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, type Bilingual } from '../domain/errors.js';
import { issueText } from '../domain/validation-text.js';

export type ErrorBody = { error: { code: string; field?: string } & Bilingual };

const STATUS: Record<DomainError['kind'], number> = {
  malformed: 400,
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** '10 MB', '64 KB': limits as people read them. */
export const formatLimit = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`);

export const bodyTooLarge = (limit: number) =>
  new DomainError('too_large', 'request.too_large', {
    zh: `提交的内容过大（上限${formatLimit(limit)}）。请减小内容后重试；扫描件请压缩或分页后上传。`,
    en: `The request body is too large (limit ${formatLimit(limit)}). Send less; compress scans or split them into fewer pages per file.`,
  });

/** The framework's and plugins' own errors, by code: status and what to tell the user. */
const FRAMEWORK: Record<string, { status: number } & Bilingual> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。请以 application/json 提交（文件用 multipart/form-data，导入文件用 text/csv）。', en: 'Unsupported content type. Send application/json (files as multipart/form-data, imports as text/csv).' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, zh: '文件须以 multipart/form-data 上传。', en: 'Upload files as multipart/form-data.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, zh: '请求体为空，请提交 JSON 内容。', en: 'The body is empty; send a JSON body.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, zh: '请求体不是有效的 JSON，请检查格式。', en: 'The body is not valid JSON; check its format.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, zh: 'Content-Length 与实际内容长度不符。', en: 'Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, zh: '缺少内容类型（Content-Type）。', en: 'The Content-Type header is missing.' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, zh: '内容类型（Content-Type）无效。', en: 'The Content-Type header is not valid.' },
  FST_ERR_BAD_URL: { status: 400, zh: '网址格式有误（含无效的百分号编码）。请检查链接。', en: 'The URL is malformed (an invalid percent-encoding). Check the link.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, zh: '网址中的参数过长。请检查链接。', en: 'A part of the URL is too long. Check the link.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, zh: '请求无法路由，请检查网址和请求头。', en: 'The request could not be routed; check the URL and headers.' },
  FST_PROTO_VIOLATION: { status: 400, zh: '表单字段名不允许使用 __proto__ 等保留字。', en: 'Form field names may not be __proto__ or other reserved words.' },
  FST_PARTS_LIMIT: { status: 413, zh: '表单的字段或文件过多，每次只上传一个文件。', en: 'Too many form parts; upload one file at a time.' },
  FST_FILES_LIMIT: { status: 413, zh: '每次只能上传一个文件。', en: 'Upload one file at a time.' },
  FST_FIELDS_LIMIT: { status: 413, zh: '表单字段过多。', en: 'Too many form fields.' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, zh: '文件过大，请压缩或分页扫描后上传。', en: 'The file is too large; compress it or scan fewer pages per file.' },
  FST_ERR_NOT_FOUND: { status: 404, zh: '没有此接口。请查看 /api/docs。', en: 'No such endpoint. See /api/docs.' },
};

/**
 * Database errors that can only come from the value a client sent (an impossible date, a malformed
 * number, a NUL byte) are the client's: 422, never 500. Each path should validate before it gets
 * here; this is the net under them. SQLSTATE class 22 is "data exception".
 */
function databaseError(err: any): { status: number; body: ErrorBody } | null {
  if (typeof err?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code) || !('severity' in err)) return null;
  if (err.code.startsWith('22')) {
    return { status: 422, body: { error: { code: 'request.invalid_value', zh: '请求中有无法处理的值（如不存在的日期、超出范围的数字或非法字符）。请检查后重试。', en: 'The request holds a value that cannot be used (an impossible date, a number out of range, or a forbidden character). Check it and retry.' } } };
  }
  if (err.code === '23503' || err.code === '23502' || err.code === '23514') {
    return { status: 422, body: { error: { code: 'request.unknown_reference', zh: '请求引用了不存在的记录或不允许的值。请检查编号后重试。', en: 'The request refers to a record that does not exist, or to a value that is not allowed. Check the ids and retry.' } } };
  }
  if (err.code === '23505') {
    return { status: 409, body: { error: { code: 'request.duplicate', zh: '该记录已存在（可能已由他人同时提交）。请刷新后查看。', en: 'That record already exists (someone may have sent it at the same moment). Reload and check.' } } };
  }
  if (err.code === '40001' || err.code === '40P01') {
    return { status: 409, body: { error: { code: 'request.retry', zh: '该记录正被同时修改，操作未生效。请刷新后重试。', en: 'The record was being changed at the same moment; nothing was changed. Reload and retry.' } } };
  }
  return null;
}

export function errorResponse(err: FastifyError, ctx: { bodyLimit?: number } = {}): { status: number; body: ErrorBody } {
  if (err instanceof DomainError) {
    return { status: STATUS[err.kind], body: { error: { code: err.code, ...err.text, ...(err.field ? { field: err.field } : {}) } } };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    // plain words per field (issue 15): "密码至少需要8个字符。", never "body.password — Too small: …"
    const where = err.validationContext ?? 'body';
    const pathOf = (v: (typeof err.validation)[number]) => String(v.instancePath ?? '').split('/').filter(Boolean);
    const texts = err.validation.map((v) => issueText({ ...(v.params as object), code: String(v.keyword), path: pathOf(v), message: v.message }));
    // every problem at once (up to three), so the user corrects them in one go
    const distinct = (xs: string[]) => [...new Set(xs)].slice(0, 3);
    const field = [where, ...pathOf(err.validation[0])].join('.');
    return {
      status: 422,
      body: { error: { code: 'request.invalid', field, zh: distinct(texts.map((t) => t.zh)).join(''), en: distinct(texts.map((t) => t.en)).join(' ') } },
    };
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errorResponse(bodyTooLarge(ctx.bodyLimit ?? 0) as any);
  const db = databaseError(err);
  if (db) return db;
  const known = err.code ? FRAMEWORK[err.code] : undefined;
  if (known) return { status: known.status, body: { error: { code: err.code!, zh: known.zh, en: known.en } } };
  if (err instanceof SyntaxError) return { status: 400, body: { error: { code: 'FST_ERR_CTP_INVALID_JSON_BODY', zh: FRAMEWORK.FST_ERR_CTP_INVALID_JSON_BODY.zh, en: FRAMEWORK.FST_ERR_CTP_INVALID_JSON_BODY.en } } };
  const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
  if (status < 500) {
    return { status, body: { error: { code: err.code ?? 'request.error', zh: `请求有误（${status}）。请检查后重试。`, en: `Bad request (${status}). Check it and retry.` } } };
  }
  return { status: 500, body: { error: { code: 'server.error', zh: '服务器内部错误，操作未生效。请稍后重试；如持续出现请联系管理员。', en: 'Internal error; nothing was changed. Retry later and tell the administrator if it persists.' } } };
}

/** The body for a raw socket answer (errors Node raises before Fastify sees a request). */
export function rawErrorResponse(status: number, code: string, text: Bilingual): string {
  const body = JSON.stringify({ error: { code, ...text } } satisfies ErrorBody);
  return `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** The error shape as a response schema, for routes to declare each error status they answer (OpenAPI). */
export const errorSchema = z.object({ error: z.object({ code: z.string(), zh: z.string(), en: z.string(), field: z.string().optional() }) });
/** `{ 401: errorSchema, 404: errorSchema, … }` for the statuses given. */
export const errorResponses = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorSchema])) as Record<number, typeof errorSchema>;
