/**
 * DOC-1 benchmark: a print batch of 1,000 cards rendered as one PDF (A4 sheets of 8, fronts and
 * backs, crop marks, a QR per card), and SEC-4: the cost of checking one verification token's
 * signature. Printed figures only, no assertions. Run: node --import tsx bench/cards.ts [cards]
 * The holders are synthetic (valid citizen IDs, varied names) so the font subset grows as a real
 * batch's would; half the cards carry a distinct portrait photo (NO_PHOTOS=1: none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PNG } from 'pngjs';
import type { CardData } from '../src/domain/cards.js';
import { certificateNumber } from '../src/domain/certificate-number.js';
import { checkDigit } from '../src/domain/citizen-id.js';
import { renderBatch } from '../src/modules/cards/card-pdf.js';
import { checkCardToken, signCardToken } from '../src/modules/verification/tokens.js';
import { percentile } from './measure.js';

const N = Number(process.argv[2] ?? 1000);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕晓东文博宇浩然子涵欣怡梓轩雨泽思远嘉怡佳琪';
const STREETS = ['北山街道宝石山下一弄', '西溪街道文二路', '灵隐街道曙光路', '翠苑街道学院路', '文新街道莫干山路', '古荡街道古墩路', '蒋村街道五常大道', '转塘街道象山路'];

function portrait(seed: number): Buffer {
  const w = 150, h = 200;
  const img = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 4;
    const face = ((x - 75) / 35) ** 2 + ((y - 80) / 45) ** 2 < 1;
    const shade = (x * 7 + y * 3 + seed) % 24; // a little texture, as a scanned photo has
    img.data.set(face ? [230 - shade, 190 - shade, 160 - shade, 255] : y > 135 ? [40 + shade, 40, 60, 255] : [70, 130 + shade, 200, 255], i);
  }
  return PNG.sync.write(img);
}

const keyDir = mkdtempSync(join(tmpdir(), 'tongban-bench-cards-'));
const keyFile = join(keyDir, 'card-signing-key.pem');

const cards: CardData[] = [];
for (let i = 0; i < N; i++) {
  const birth = new Date(Date.UTC(1950, 0, 1) + ((i * 7919) % 20000) * 86400_000).toISOString().slice(0, 10);
  const first17 = '330106' + birth.replaceAll('-', '') + String(i % 1000).padStart(3, '0');
  const citizenId = first17 + checkDigit(first17);
  const disabilities = [{ category: ((i % 6) + 1) as 1, level: ((i % 4) + 1) as 1 }];
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const token = signCardToken(keyFile, { certificateId: id, cardNo: 1, issuedOn: '2026-12-01' });
  cards.push({
    certificateId: id, cardNo: 1,
    name: SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 ? GIVEN[(i * 13) % GIVEN.length] : ''),
    sex: i % 2 ? 'M' : 'F', birthDate: birth, citizenId, number: certificateNumber(citizenId, disabilities),
    category: disabilities[0].category, level: disabilities[0].level, disabilities,
    guardian: i % 5 === 0 ? { name: '监护人' + GIVEN[i % GIVEN.length], relation: '母子' } : null,
    address: `浙江省杭州市西湖区${STREETS[i % STREETS.length]}${(i % 200) + 1}号`,
    issuer: '杭州市西湖区残疾人联合会', validFrom: '2026-12-01', validUntil: '2036-12-01',
    photo: i % 2 === 0 && !process.env.NO_PHOTOS ? { bytes: portrait(i), mime: 'image/png' } : null,
    verifyUrl: `https://tongban.example.gov.cn/verify/${token}`,
  });
}

// warm-up: the first document pays for reading the 2 × 10 MB font files
await renderBatch(cards.slice(0, 8), { title: 'warm-up', footer: 'warm-up' });

const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const pdf = await renderBatch(cards, { title: `bench ${N}`, footer: `bench ${N}` });
const ms = performance.now() - t0;
const one = await renderBatch(cards.slice(1, 2), { title: 'one', footer: 'one' });
const onePhoto = await renderBatch(cards.slice(0, 1), { title: 'one', footer: 'one' });

const tokens = cards.slice(0, 1000).map((c) => c.verifyUrl.split('/verify/')[1]);
const samples: number[] = [];
for (let r = 0; r < 5; r++) for (const t of tokens) {
  const s = performance.now();
  checkCardToken(keyFile, t);
  samples.push(performance.now() - s);
}

const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
console.log(`DOC-1 print batch: ${N} cards, ${Math.ceil(N / 8) * 2} A4 pages (fronts + backs), ${process.env.NO_PHOTOS ? "no photos" : "half with a photo (RGBA PNG)"}`);
console.log(`  render time        ${(ms / 1000).toFixed(1)} s  (${(ms / N).toFixed(1)} ms per card)`);
console.log(`  PDF size           ${kb(pdf.length)} (${(pdf.length / N / 1024).toFixed(1)} KB per card)`);
console.log(`  one card, no photo ${kb(one.length)};  one card with its photo ${kb(onePhoto.length)}`);
console.log(`  memory (rss) grew  ${((process.memoryUsage().rss - rss0) / 1024 / 1024).toFixed(0)} MB`);
console.log(`SEC-4 token check (shape + Ed25519 signature, before any DB read): p50 ${percentile(samples, 50).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms over ${samples.length} checks`);
rmSync(keyDir, { recursive: true, force: true });
