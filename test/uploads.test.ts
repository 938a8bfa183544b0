/** Issue 10 item 9: uploads are checked by structure — a PDF must parse, an image must decode — not only by their first bytes. */
import assert from 'node:assert/strict';
import { randomBytes, randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import { harness, login, makeCitizenId } from './harness.js';
import { apply, ok, pdfDocument, pngImage, uploadScan, XIHU_VILLAGE } from './fixtures.js';

const jpegImage = () => {
  const data = randomFillSync(Buffer.alloc(8 * 8 * 4));
  return Buffer.from(jpeg.encode({ data, width: 8, height: 8 }, 80).data);
};

test('ARCH-1 a PDF header glued onto an executable, a truncated PNG and a broken JPEG are refused with a bilingual 422; real files pass', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const c = await apply(clerk, { hukouCode: XIHU_VILLAGE, idNumber: makeCitizenId({ division: '330106' }), materialsProvided: ['photos', 'id_and_hukou', 'commitment_letter'] });
  const before = (await h.db.query('SELECT count(*)::int AS n FROM document'))[0].n;
  const png = pngImage();
  const jpg = jpegImage();
  const forged: [string, Buffer][] = [
    ['申请表.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), readFileSync(process.execPath).subarray(0, 256 * 1024)])],
    ['申请表2.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(64 * 1024), Buffer.from('\n%%EOF\n')])],
    ['身份证.png', png.subarray(0, png.length - 20)],
    ['照片.png', Buffer.concat([png.subarray(0, 33), randomBytes(64)])],
    ['照片.jpg', Buffer.concat([jpg.subarray(0, 40), randomBytes(200)])],
  ];
  for (const [name, bytes] of forged) {
    const res = await uploadScan(clerk, c.id, 'id_and_hukou', name, bytes);
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'document.corrupt');
    assert.equal(res.body.error.field, 'file');
    assert.match(res.body.error.zh, /不是完整有效的/);
    assert.match(res.body.error.en, /not a complete, valid/);
  }
  assert.equal((await h.db.query('SELECT count(*)::int AS n FROM document'))[0].n, before, 'nothing stored');
  for (const [name, bytes, mime] of [['申请表.pdf', pdfDocument(), 'application/pdf'], ['身份证.png', png, 'image/png'], ['照片.jpg', jpg, 'image/jpeg']] as const) {
    assert.equal((await ok(uploadScan(clerk, c.id, 'id_and_hukou', name, bytes), 201)).mime, mime, name);
  }
});
