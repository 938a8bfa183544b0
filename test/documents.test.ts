/** Scans attached to a case: type by content, size limit, stored once and encrypted, same 404 rule as the case. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness, login, makeCitizenId } from './harness.js';
import { apply, JINSHUI_VILLAGE, multipart, ok, PNG, XIHU_VILLAGE } from './fixtures.js';

test('MAT-1 SEC-1 a clerk uploads a scan for a checklist item; it is checked by content, stored encrypted, viewable in the case only, and every view is logged', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { hukouCode: XIHU_VILLAGE, idNumber: makeCitizenId({ division: '330106' }) });
  const upload = async (who: typeof clerk, name: string, bytes: Buffer, materialCode = 'id_and_hukou') => {
    const m = multipart({ materialCode }, { name, bytes, type: 'application/octet-stream' });
    return who.call('POST', `/api/cases/${c.id}/documents`, m.body, { 'content-type': m.contentType });
  };
  const created = await upload(clerk, '身份证.png', PNG);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.mime, 'image/png');
  const fake = await upload(clerk, 'scan.pdf', Buffer.from('this is not a pdf'));
  assert.equal(fake.status, 422);
  assert.equal(fake.body.error.code, 'document.type');
  const badCode = await upload(clerk, 'x.png', PNG, 'passport');
  assert.equal(badCode.status, 422);

  const list = await ok(clerk.get(`/api/cases/${c.id}/documents`));
  assert.deepEqual(list.map((d: any) => [d.materialCode, d.fileName, d.mime]), [['id_and_hukou', '身份证.png', 'image/png']]);
  const res = await h.app.inject({ method: 'GET', url: `/api/cases/${c.id}/documents/${list[0].id}`, headers: { cookie: clerk.cookie! } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.rawPayload, PNG);
  const viewed = await h.db.query(`SELECT actor, detail FROM audit_entry WHERE action = 'case.document_view' AND object_id = $1`, [c.id]);
  assert.equal(viewed.length, 1, 'SEC-1: viewing a scan is logged');
  assert.equal(viewed[0].detail.document, list[0].id);
  const [stored] = await h.db.query('SELECT content_enc FROM document WHERE sha256 = $1', [created.body.sha256]);
  assert.ok(!Buffer.from(stored.content_enc).includes(PNG.subarray(8, 24)), 'stored encrypted');

  await upload(clerk, '再次上传.png', PNG);
  assert.equal((await h.db.query('SELECT count(*)::int AS n FROM document WHERE sha256 = $1', [created.body.sha256]))[0].n, 1, 'stored once');

  const other = await login(h, 'jinshui.clerk');
  assert.equal((await other.get(`/api/cases/${c.id}/documents`)).status, 404);
  assert.equal((await upload(other, 'x.png', PNG)).status, 404);
  const own = await apply(other, { residenceCode: JINSHUI_VILLAGE, hukouCode: JINSHUI_VILLAGE });
  assert.equal((await other.get(`/api/cases/${own.id}/documents/${list[0].id}`)).status, 404, 'a document id from another case is not reachable');
});
