import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backLines, CARD_MM, CARDS_PER_SHEET, disabilityWords, parsePayload, SHEET, sheetSlot, TOKEN_LENGTH, tokenPayload, verificationStatus, type CardData } from './cards.js';

test('SEC-4 a token payload names the card and nothing else, and reads back exactly; 114 characters signed', () => {
  const ref = { certificateId: '0f8fad5b-d9cb-469f-a165-70867728950e', cardNo: 2, issuedOn: '2026-12-01' };
  const bytes = tokenPayload(ref);
  assert.equal(bytes.length, 21);
  assert.deepEqual(parsePayload(bytes), ref);
  assert.equal(TOKEN_LENGTH, 114);
  assert.throws(() => tokenPayload({ ...ref, certificateId: 'not-a-uuid' }), RangeError);
});

test('SEC-4 REISSUE-1 the public status of a card, from its state, successor and validity', () => {
  const today = '2026-12-08';
  const s = (state: any, replacedBy: string | null = null, validUntil = '2036-12-01') => verificationStatus({ state, replacedBy, validUntil }, today);
  assert.equal(s('active'), 'valid');
  assert.equal(s('active', null, '2026-12-08'), 'valid', 'valid through its last day');
  assert.equal(s('active', null, '2026-12-07'), 'expired', 'past its last day before the sweep marks it');
  assert.equal(s('frozen'), 'frozen');
  assert.equal(s('reported_lost'), 'reported_lost');
  assert.equal(s('reported_lost', 'new-card'), 'reported_lost', 'a lost card stays lost after its reissue');
  assert.equal(s('cancelled', 'new-card'), 'replaced');
  assert.equal(s('cancelled'), 'cancelled');
  assert.equal(s('expired'), 'expired');
});

test('DOC-1 the sheet: 8 cards at true size inside A4, none overlapping, gutters for the crop marks', () => {
  assert.equal(CARDS_PER_SHEET, 8);
  const slots = Array.from({ length: 8 }, (_, i) => sheetSlot(i));
  for (const s of slots) {
    assert.ok(s.x - SHEET.cropMarkMm - 1 >= 0 && s.x + CARD_MM.width + SHEET.cropMarkMm + 1 <= SHEET.widthMm);
    assert.ok(s.y - SHEET.cropMarkMm - 1 >= 0 && s.y + CARD_MM.height + SHEET.cropMarkMm + 1 <= SHEET.heightMm - 10, 'clear of the footer');
  }
  for (const [i, a] of slots.entries()) for (const b of slots.slice(i + 1)) {
    const apart = Math.abs(a.x - b.x) >= CARD_MM.width + 2 * (SHEET.cropMarkMm + 1) || Math.abs(a.y - b.y) >= CARD_MM.height + 2 * (SHEET.cropMarkMm + 1);
    assert.ok(apart, 'crop marks of neighbours do not touch');
  }
});

test('DOC-1 ID-2 the back names each disability of a multiple one and the guardian where registered', () => {
  const card = { category: 7, level: 1, disabilities: [{ category: 1, level: 1 }, { category: 4, level: 3 }] } as const;
  assert.equal(disabilityWords(card as any), '多重残疾 一级（视力残疾一级、肢体残疾三级）');
  const c = { ...card, number: '33010619900522361971', guardian: { name: '王芳', relation: '母子' }, issuer: '杭州市西湖区残疾人联合会', validFrom: '2026-12-01', validUntil: '2036-12-01' } as unknown as CardData;
  assert.deepEqual(backLines(c).map((l) => l.value), ['33010619900522361971', '多重残疾 一级（视力残疾一级、肢体残疾三级）', '王芳（母子）', '杭州市西湖区残疾人联合会', '2026年12月1日至2036年12月1日']);
});
