/**
 * Refusals decided from the request line and headers alone, before any body is read (issue 10
 * item 8, 15 item 17): an over-long URL, a cross-site state change (CSRF), no session for a route
 * that needs one, a Content-Length over the route's limit. A refusal before the body also closes the
 * connection, so Node does not drain a 60 MB body it was never going to use.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';
import { bodyTooLarge } from './http-errors.js';

export const MAX_URL_LENGTH = 8 * 1024;
/** The header the web client sends on every request; a cross-site form or a simple cross-site fetch cannot. */
export const CSRF_HEADER = 'x-tongban-client';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isStateChanging = (req: FastifyRequest) => !SAFE_METHODS.has(req.method);

/** A route is public when its schema says it needs no security (`security: []`), as the OpenAPI document shows. */
export function isPublicRoute(req: FastifyRequest): boolean {
  const security = (req.routeOptions.schema as { security?: unknown[] } | undefined)?.security;
  return Array.isArray(security) && security.length === 0;
}

/** An API route that needs a session: not public, not for partners, not the hidden documentation pages. */
export function requiresSession(req: FastifyRequest): boolean {
  const schema = req.routeOptions.schema as { hide?: boolean } | undefined;
  return Boolean(req.routeOptions.url?.startsWith('/api/')) && !schema?.hide && !isPublicRoute(req) && !isPartnerRoute(req);
}

/** Routes for partner agencies authenticate with their own bearer tokens (SEC-5), never with a session cookie. */
export const isPartnerRoute = (req: FastifyRequest) => (req.routeOptions.config as { auth?: string } | undefined)?.auth === 'partner';

const originOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
};

/**
 * CSRF: a state-changing request must come from our own pages — its Origin (or, without one, its
 * Referer) is the origin it was addressed to or one of PUBLIC_ORIGINS — or carry the web client's
 * custom header, which a cross-site page can only send after a CORS preflight we never grant. A
 * cross-site Origin is refused even with the header. Partner calls (a bearer token, or the partner
 * routes) without a cookie carry no ambient credential a forged page could use, so they are exempt.
 */
export function csrfRefusal(req: FastifyRequest, publicOrigins: readonly string[]): DomainError | null {
  if (!isStateChanging(req)) return null;
  if (!req.headers.cookie && (/^Bearer /i.test(req.headers.authorization ?? '') || isPartnerRoute(req))) return null;
  const self = `${req.protocol}://${req.host}`;
  const allowed = (o: string | null) => o !== null && (o === self || publicOrigins.includes(o));
  const origin = req.headers.origin;
  if (origin !== undefined) return allowed(originOf(origin)) ? null : crossSite();
  const referer = req.headers.referer;
  if (referer !== undefined && allowed(originOf(referer))) return null;
  if (req.headers[CSRF_HEADER] !== undefined) return null;
  return crossSite();
}

const crossSite = () =>
  new DomainError('forbidden', 'request.cross_site', {
    zh: '请求来自其他网站，已拒绝（防跨站请求伪造）。请直接在本系统页面上操作。',
    en: 'The request came from another site and was refused (cross-site request forgery protection). Use the pages of this service.',
  });

export const urlTooLong = () =>
  new DomainError('too_large', 'request.url_too_long', {
    zh: `网址过长（上限${MAX_URL_LENGTH}字符）。请缩短查询条件。`,
    en: `The URL is too long (limit ${MAX_URL_LENGTH} characters). Shorten the query.`,
  });

/** The longest path segment (an id, a code) any route takes; longer ones answer 414 whichever route would have matched. */
export const MAX_SEGMENT_LENGTH = 200;
export const segmentTooLong = (url: string) => url.split('?')[0].split('/').some((s) => s.length > MAX_SEGMENT_LENGTH);
export const segmentTooLongError = () =>
  new DomainError('too_large', 'FST_ERR_MAX_PARAM_LENGTH', { zh: '网址中的参数过长。请检查链接。', en: 'A part of the URL is too long. Check the link.' });

/** 414 rather than 413 for the URL: the status the HTTP standard names for it. */
export const URL_STATUS = 414;

/** Content-Length over the route's own limit (uploads have theirs, JSON a small one): refused unread. */
export function declaredTooLarge(req: FastifyRequest): DomainError | null {
  const declared = Number(req.headers['content-length'] ?? 0);
  const limit = req.routeOptions.bodyLimit;
  return limit && declared > limit ? bodyTooLarge(limit) : null;
}

/** Sends a refusal decided before the body: the connection closes, so the unread body is never drained. */
export function refuseUnread(reply: FastifyReply, status: number, err: DomainError) {
  reply.header('connection', 'close');
  return reply.status(status).send({ error: { code: err.code, ...err.text } });
}

/** The first NUL character in a parsed body, query or params, as a field path: PostgreSQL cannot store it in text. */
export function nulField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const f = nulField(value[i], `${path}.${i}`);
      if (f) return f;
    }
    return null;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      const f = k.includes('\u0000') ? `${path}.${k}` : nulField(v, `${path}.${k}`);
      if (f) return f;
    }
  }
  return null;
}
