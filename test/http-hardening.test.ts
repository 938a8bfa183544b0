/**
 * Issue 10 items 6–8 and issue 15 item 17: CSRF, security headers, zero 5xx on bad input with every
 * error in the bilingual shape, and refusals decided before the body is read.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { buildApp } from '../src/app.js';
import { MAX_DOCUMENT_BYTES } from '../src/modules/documents/documents.js';
import { Client, harness, login, type Harness } from './harness.js';
import { apply, multipart, ok, pdfDocument, PNG, XIHU_VILLAGE } from './fixtures.js';

/** The bilingual error shape, with both texts present. */
function assertBilingual(body: any, code?: string) {
  assert.ok(body?.error && typeof body.error.code === 'string', `an error body: ${JSON.stringify(body)}`);
  assert.ok(body.error.zh && /[\u4e00-\u9fff]/.test(body.error.zh), `Chinese text: ${JSON.stringify(body)}`);
  assert.ok(body.error.en && /[A-Za-z]/.test(body.error.en), `English text: ${JSON.stringify(body)}`);
  if (code) assert.equal(body.error.code, code);
}

/** A second app on the shared database, listening on a loopback port, for what only a real socket shows. */
async function listening(h: Harness) {
  const app = await buildApp(h.ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return { app, port };
}

/**
 * Sends `head` (and then `body`, but never more) on a raw socket and resolves with the answer. The
 * server must answer without the rest of the body: the test fails by timing out if it waits for it.
 */
function rawExchange(port: number, head: string, body = Buffer.alloc(0)): Promise<{ status: number; headers: string; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no answer: the server waited for the body')); }, 10_000);
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [headers, ...rest] = text.split('\r\n\r\n');
      const payload = rest.join('\r\n\r\n');
      let parsed: any = payload;
      try { parsed = JSON.parse(payload); } catch {}
      resolve({ status: Number(headers.split(' ')[1]), headers, body: parsed });
    };
    socket.on('data', (d) => {
      chunks.push(d);
      if (Buffer.concat(chunks).includes('\r\n\r\n') && /content-length: (\d+)/i.test(Buffer.concat(chunks).toString())) {
        const text = Buffer.concat(chunks).toString();
        const len = Number(/content-length: (\d+)/i.exec(text)![1]);
        if (Buffer.byteLength(text.split('\r\n\r\n').slice(1).join('\r\n\r\n')) >= len) { socket.destroy(); finish(); }
      }
    });
    socket.on('close', () => { if (chunks.length) finish(); });
    socket.on('error', () => {});
    socket.write(head);
    if (body.length) socket.write(body);
  });
}

test('SEC (issue 10.6) CSRF: a text/plain post from https://evil.example to the division import is refused with a bilingual 403 and changes nothing', async () => {
  const h = await harness();
  const admin = await login(h, 'admin');
  const before = (await h.db.query('SELECT count(*)::int AS n FROM division'))[0].n;
  const res = await h.app.inject({
    method: 'POST', url: '/api/admin/divisions/import',
    headers: { cookie: admin.cookie!, origin: 'https://evil.example', 'content-type': 'text/plain' },
    payload: 'code,name\n990000,伪造省\n',
  });
  assert.equal(res.statusCode, 403);
  assertBilingual(JSON.parse(res.body), 'request.cross_site');
  assert.equal((await h.db.query('SELECT count(*)::int AS n FROM division'))[0].n, before);
  assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM division WHERE code = '990000'`))[0].n, 0);
});

test('SEC (issue 10.6) CSRF: a state change needs a same-origin Origin or Referer, or the web client’s header; reads do not', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const post = (headers: Record<string, string>) =>
    h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: clerk.cookie!, host: 'tongban.example:3000', ...headers } });
  assert.equal((await post({})).statusCode, 403, 'no Origin, no Referer, no header: a cross-site form may have sent it');
  assert.equal((await post({ origin: 'null' })).statusCode, 403, 'an opaque origin (sandboxed frame, data: page)');
  assert.equal((await post({ origin: 'http://tongban.example:3000.evil.example' })).statusCode, 403);
  assert.equal((await post({ referer: 'https://evil.example/form.html' })).statusCode, 403);
  assert.equal((await post({ origin: 'https://evil.example', 'x-tongban-client': 'web' })).statusCode, 403, 'a cross-site Origin is refused even with the header');
  assert.equal((await post({ referer: 'http://tongban.example:3000/cases/1' })).statusCode, 200, 'a same-origin Referer');
  const again = await login(h, 'xihu.clerk');
  assert.equal((await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: again.cookie!, host: 'tongban.example:3000', origin: 'http://tongban.example:3000' } })).statusCode, 200);
  assert.equal((await h.app.inject({ method: 'GET', url: '/api/profiles', headers: { origin: 'https://evil.example' } })).statusCode, 200, 'reads change nothing');
});

test('SEC (issue 10.7) security headers: CSP without inline script and no framing, nosniff, Referrer-Policy; HSTS only over HTTPS', async () => {
  const h = await harness();
  const res = await h.app.inject({ method: 'GET', url: '/api/profiles' });
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-eval'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /object-src 'none'/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.equal(res.headers['referrer-policy'], 'same-origin');
  assert.equal(res.headers['strict-transport-security'], undefined, 'not over plain HTTP');
  const docs = await h.app.inject({ method: 'GET', url: '/api/docs/static/index.html' });
  assert.match(String(docs.headers['content-security-policy']), /frame-ancestors 'none'/, 'the API documentation page is not frameable either');
});

test('SEC (issue 10.7) a stored scan is served under a sandboxing CSP: images inline, PDFs as attachments', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { hukouCode: XIHU_VILLAGE });
  const send = async (name: string, bytes: Buffer, type: string) => {
    const m = multipart({ materialCode: 'id_and_hukou' }, { name, bytes, type });
    return ok(clerk.call('POST', `/api/cases/${c.id}/documents`, m.body, { 'content-type': m.contentType }), 201);
  };
  const png = await send('身份证.png', PNG, 'image/png');
  const pdf = await send('申请表.pdf', pdfDocument(), 'application/pdf');
  const view = (id: string) => h.app.inject({ method: 'GET', url: `/api/cases/${c.id}/documents/${id}`, headers: { cookie: clerk.cookie! } });
  const image = await view(png.id);
  assert.match(String(image.headers['content-security-policy']), /sandbox/);
  assert.match(String(image.headers['content-security-policy']), /default-src 'none'/);
  assert.match(String(image.headers['content-disposition']), /^inline;/);
  const paper = await view(pdf.id);
  assert.match(String(paper.headers['content-security-policy']), /sandbox/);
  assert.match(String(paper.headers['content-disposition']), /^attachment;/);
  assert.equal(paper.headers['x-content-type-options'], 'nosniff');
});

test('SEC (issue 10.8) bad input never gets a 5xx, and every error — the framework’s own too — is in the bilingual shape', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const admin = await login(h, 'admin');
  const cases: [string, () => Promise<{ status: number; body: any }>, number][] = [
    ['400 bad percent-encoding', () => clerk.get('/api/cases/%E0%A4%A'), 400],
    ['404 no such route', () => clerk.get('/api/no-such-thing'), 404],
    ['413 JSON over the limit', () => clerk.call('POST', '/api/cases', JSON.stringify({ pad: 'x'.repeat(300_000) }), { 'content-type': 'application/json' }), 413],
    ['414 an over-long URL', () => clerk.get(`/api/divisions?q=${'a'.repeat(9000)}`), 414],
    ['414 an over-long path parameter', () => clerk.get(`/api/cases/${'a'.repeat(300)}`), 414],
    ['415 an unsupported content type', () => clerk.call('POST', '/api/cases', '<xml/>', { 'content-type': 'application/xml' }), 415],
    ['400 broken JSON', () => clerk.call('POST', '/api/cases', '{"matter": ', { 'content-type': 'application/json' }), 400],
    ['400 JSON with __proto__', () => clerk.call('POST', '/api/cases', '{"__proto__": {"x": 1}}', { 'content-type': 'application/json' }), 400],
    ['422 NUL in the login name', () => new Client(h.app).post('/api/auth/login', { username: 'xihu\u0000clerk', password: 'x' }), 422],
    ['422 NUL in a search', () => clerk.get('/api/cases?q=%E5%BC%A0%00%E4%B8%89'), 422],
    ['422 NUL in a division search', () => clerk.get('/api/divisions?q=%00'), 422],
    ['404 /api/workflows/__proto__', () => clerk.get('/api/workflows/__proto__'), 404],
    ['404 /api/workflows/constructor', () => clerk.get('/api/workflows/constructor'), 404],
    ['422 an action called constructor', async () => { const c = await apply(clerk); return clerk.act(c.id, 'constructor'); }, 422],
    ['422 ?from=2026-02-30', () => clerk.get('/api/visit-batches?from=2026-02-30'), 422],
    ['422 ?date=2026-13-01', () => admin.get('/api/reports/missed-logins?date=2026-13-01'), 422],
    ['400 multipart without a boundary', () => clerk.call('POST', `/api/cases/00000000-0000-4000-8000-000000000000/documents`, 'xx', { 'content-type': 'multipart/form-data' }), 400],
  ];
  for (const [name, run, status] of cases) {
    const res = await run();
    assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
    assertBilingual(res.body);
  }
});

test('SEC (issue 10.8) 431: headers too large get the bilingual shape from the raw socket', async (t) => {
  const h = await harness();
  const { app, port } = await listening(h);
  t.after(() => app.close());
  const res = await rawExchange(port, `GET /api/profiles HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.equal(res.status, 431);
  assertBilingual(res.body, 'request.headers_too_large');
});

test('SEC (issue 10.8) a 60 MB unauthenticated body is refused from its headers, before it is read', async (t) => {
  const h = await harness();
  const { app, port } = await listening(h);
  t.after(() => app.close());
  const res = await rawExchange(port, `POST /api/admin/divisions/import HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/csv\r\nX-Tongban-Client: test\r\nContent-Length: ${60 * 1024 * 1024}\r\n\r\n`, Buffer.alloc(64 * 1024, 0x41));
  assert.equal(res.status, 401);
  assertBilingual(res.body, 'auth.required');
  assert.match(res.headers, /connection: close/i, 'the connection closes, so the rest is never drained');
});

test('SEC (issue 10.8) an upload over the limit is refused from its Content-Length, before the body is read (issue 15 item 17)', async (t) => {
  const h = await harness();
  const { app, port } = await listening(h);
  t.after(() => app.close());
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { hukouCode: XIHU_VILLAGE });
  const res = await rawExchange(port, `POST /api/cases/${c.id}/documents HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${clerk.cookie}\r\nX-Tongban-Client: test\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n`, Buffer.from('--x\r\n'));
  assert.equal(res.status, 413);
  assertBilingual(res.body, 'request.too_large');
  assert.match(res.body.error.zh, /10 MB/);
  // just under the limit is still read (and then judged by its content)
  assert.ok(MAX_DOCUMENT_BYTES >= 10 * 1024 * 1024);
});
