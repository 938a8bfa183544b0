/** The one way the web app talks to the server: JSON in, JSON out, errors as ApiError with both languages. */
export type Bilingual = { zh: string; en: string };
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, readonly text: Bilingual, readonly field?: string) {
    super(text.en);
  }
}

type Init = { method?: string; body?: unknown; headers?: Record<string, string>; form?: FormData; csv?: string };

export async function api<T = any>(path: string, init: Init = {}): Promise<T> {
  const sending = init.body !== undefined || init.form !== undefined || init.csv !== undefined;
  const contentType: Record<string, string> = init.csv !== undefined ? { 'content-type': 'text/csv' } : init.body !== undefined ? { 'content-type': 'application/json' } : {};
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (sending ? 'POST' : 'GET'),
      credentials: 'same-origin',
      // CSRF: a header no cross-site form can send; the server refuses state changes without it (or a same-origin Origin)
      headers: { 'x-tongban-client': 'web', ...contentType, ...init.headers },
      body: init.form ?? init.csv ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
    });
  } catch {
    throw new ApiError(0, 'network', { zh: '网络连接失败，内容已保留。请检查网络后重试。', en: 'Network error; what you typed is kept. Check the connection and retry.' });
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = data?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'error', { zh: e.zh ?? `请求失败（${res.status}）`, en: e.en ?? `Request failed (${res.status})` }, e.field);
  }
  return data as T;
}

/** A fresh key per user intent: a double click or a retry of the same submit reuses it. */
export const newIdempotencyKey = () => `web-${crypto.randomUUID()}`;
