/**
 * SEC-4, DOC-3: the public check of a card. GET /api/verify/:token answers JSON; GET /verify/:token
 * is the page a phone opens from the QR code — server-rendered HTML, Chinese with English, no script,
 * readable at any size (WCAG 2.2 AA: lang, one h1, a status not told by colour alone, 7:1 contrast).
 */
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { zhDate } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { errorResponse } from '../../platform/http-errors.js';
import type { HttpServer } from '../../platform/http.js';
import { RateLimiter, verifyCard, type Verification } from './verification.js';

const params = z.object({ token: z.string().max(200) });
const bilingual = z.object({ zh: z.string(), en: z.string() });
const answer = z.object({
  status: z.enum(['valid', 'frozen', 'reported_lost', 'replaced', 'expired', 'cancelled']),
  statusText: bilingual,
  holder: z.string(),
  category: z.object({ code: z.number(), zh: z.string(), en: z.string() }),
  level: z.object({ code: z.number(), zh: z.string(), en: z.string() }),
  validFrom: z.string(),
  validUntil: z.string(),
  checkedAt: z.string(),
});

export function verificationRoutes(app: HttpServer, ctx: AppContext) {
  const limiter = new RateLimiter(Number(process.env.VERIFY_RATE_BURST ?? 30), Number(process.env.VERIFY_RATE_PER_MINUTE ?? 30));

  app.get('/api/verify/:token', {
    schema: { tags: ['verification'], summary: '残疾人证核验（公开） Verify a card from its QR code (public, SEC-4)', security: [], params, response: { 200: answer } },
  }, async (req, reply) => {
    limiter.take(req.ip);
    reply.header('cache-control', 'no-store');
    return verifyCard(ctx, req.params.token);
  });

  app.get('/verify/:token', { schema: { hide: true, security: [], params } }, async (req, reply) => {
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    try {
      limiter.take(req.ip);
      return page(await verifyCard(ctx, req.params.token));
    } catch (e) {
      const { status, body } = errorResponse(e as any);
      if (!(e instanceof DomainError)) req.log.error(e);
      if ((e as any).retryAfterSeconds) reply.header('retry-after', String((e as any).retryAfterSeconds));
      reply.status(status);
      return errorPage(body.error);
    }
  });
}

/** The moment of the check as China Standard Time, as the holder's papers are dated. */
const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font-family:system-ui,"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;font-size:18px;line-height:1.6;color:#111;background:#fff;margin:0;padding:16px;max-width:40rem}
h1{font-size:1.6rem;margin:0 0 .5rem}.status{border:3px solid;padding:12px 16px;margin:16px 0;font-size:1.4rem;font-weight:700}
.ok{color:#0b5c1e;border-color:#0b5c1e;background:#eef8f0}.void{color:#8a1010;border-color:#8a1010;background:#fdf0f0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{font-weight:700}dd{margin:0}.en{color:#333;font-size:1rem}footer{margin-top:24px;font-size:1rem;color:#333}.nw{white-space:nowrap}`;

function shell(title: string, body: string) {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main><footer><p>本页仅显示核验所需的最少信息。如有疑问，请联系持证人户籍地县级残疾人联合会。<br><span lang="en" class="en">This page shows only what a check needs. For questions, contact the holder’s county disabled persons’ federation.</span></p></footer></body></html>`;
}

function page(v: Verification) {
  const mark = v.status === 'valid' ? '✔' : '✖';
  return shell(`残疾人证核验：${v.statusText.zh}`, `<h1>残疾人证核验 <span lang="en" class="en">Certificate check</span></h1>
<p class="status ${v.status === 'valid' ? 'ok' : 'void'}" role="status"><span aria-hidden="true">${mark}</span> ${esc(v.statusText.zh)}<br><span lang="en" class="en">${esc(v.statusText.en)}</span></p>
<h2>证件信息 <span lang="en" class="en">Card</span></h2>
<dl>
<dt>持证人 <span lang="en" class="en">Holder</span></dt><dd>${esc(v.holder)}</dd>
<dt>残疾类别 <span lang="en" class="en">Category</span></dt><dd>${esc(v.category.zh)} <span lang="en" class="en">${esc(v.category.en)}</span></dd>
<dt>残疾等级 <span lang="en" class="en">Level</span></dt><dd>${esc(v.level.zh)} <span lang="en" class="en">${esc(v.level.en)}</span></dd>
<dt>有效期限 <span lang="en" class="en">Valid</span></dt><dd><span class="nw">${zhDate(v.validFrom)}</span>至<span class="nw">${zhDate(v.validUntil)}</span> <span lang="en" class="en"><span class="nw">${v.validFrom}</span> – <span class="nw">${v.validUntil}</span></span></dd>
<dt>核验时间 <span lang="en" class="en">Checked</span></dt><dd><span class="nw">${chinaTime(v.checkedAt)}</span> <span lang="en" class="en">(China time)</span></dd>
</dl>`);
}

function errorPage(e: { code: string; zh: string; en: string }) {
  return shell('残疾人证核验：无法核验', `<h1>残疾人证核验 <span lang="en" class="en">Certificate check</span></h1>
<p class="status void" role="alert"><span aria-hidden="true">✖</span> 无法核验 <span lang="en" class="en">Cannot verify</span></p>
<p>${esc(e.zh)}</p><p lang="en" class="en">${esc(e.en)}</p>`);
}
