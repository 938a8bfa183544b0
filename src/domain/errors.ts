/**
 * Every error that can reach a user carries its message in both Chinese and English,
 * says what was wrong and what to do, and names the field when one is at fault.
 * Domain code throws these; the HTTP layer maps `kind` to a status code.
 */
export type Bilingual = { zh: string; en: string };

export type ErrorKind =
  | 'malformed' // 400: the request cannot be parsed at all (broken JSON, a multipart body without its boundary)
  | 'invalid' // 422: the input is wrong
  | 'not_found' // 404: does not exist or is outside the caller's jurisdiction
  | 'conflict' // 409: stale version, duplicate, illegal state
  | 'forbidden' // 403: the caller may not do this (only when existence is not secret)
  | 'unauthenticated' // 401
  | 'too_large' // 413: the body (or the file) is over the limit
  | 'rate_limited' // 429: too many attempts; wait and retry
  | 'unavailable'; // 503: a service we depend on (the SMS gateway) failed; retry later

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly text: Bilingual,
    readonly field?: string,
  ) {
    super(`${code}: ${text.en}`);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, zh: string, en: string, field?: string) =>
  new DomainError('invalid', code, { zh, en }, field);
export const conflict = (code: string, zh: string, en: string) => new DomainError('conflict', code, { zh, en });
export const notFound = (what: Bilingual = { zh: '记录', en: 'record' }) =>
  new DomainError(
    'not_found',
    'not_found',
    {
      zh: `未找到该${what.zh}，或不在您的管辖范围内。请核对编号。`,
      en: `No such ${what.en}, or it is outside your jurisdiction. Check the number.`,
    },
  );
