import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors.js';
import { ageOn, checkDigit, convert15to18, maskCitizenId, parseCitizenId } from './citizen-id.js';

const TODAY = '2026-03-02';
const parse = (id: string, opts: Parameters<typeof parseCitizenId>[1] = {}) =>
  parseCitizenId(id, { today: TODAY, ...opts });

/** Asserts a bilingual DomainError with the given code, field 'idNumber', and both texts matching. */
function assertIdError(fn: () => unknown, code: string, zh?: RegExp, en?: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError, 'expected a DomainError');
    assert.equal(e.kind, 'invalid');
    assert.equal(e.code, code);
    assert.equal(e.field, 'idNumber');
    assert.match(e.text.zh, /[\u4e00-\u9fff]/, 'Chinese message');
    assert.match(e.text.en, /^[\x20-\x7e–]+$/, 'English message');
    if (zh) assert.match(e.text.zh, zh);
    if (en) assert.match(e.text.en, en);
    return true;
  });
}

// Check digits below were computed independently (by hand-written script), not with checkDigit.
const VALID = [
  '11010519491231002X', // the GB 11643 example
  '440304199001010011',
  '310101200002290023', // born on a leap day
  '650102198510101238',
  '820000199912310006', // Macao
  '110105190001010036', // earliest allowed year
];

test('ID-1 accepts valid 18-character IDs and reads birth date, sex and division', () => {
  for (const id of VALID) assert.equal(parse(id).id, id);
  assert.deepEqual(parse('11010519491231002X'), {
    id: '11010519491231002X',
    birthDate: '1949-12-31',
    sex: 'F', // 17th digit 2 is even
    divisionCode: '110105',
  });
  assert.equal(parse('650102198510101238').sex, 'M'); // 17th digit 3 is odd
});

test('ID-1 trims, uppercases x and accepts full-width characters typed with a Chinese IME', () => {
  assert.equal(parse('  11010519491231002x \n').id, '11010519491231002X');
  assert.equal(parse('１１０１０５１９４９１２３１００２ｘ').id, '11010519491231002X');
});

test('ID-1 checkDigit implements ISO 7064 MOD 11-2 including X for 10', () => {
  assert.equal(checkDigit('11010519491231002'), 'X');
  assert.equal(checkDigit('44030419900101001'), '1');
  assert.equal(checkDigit('33010619880808888'), '2');
  assertIdError(() => checkDigit('1101051949123100'), 'id.format');
  assertIdError(() => checkDigit('1101051949123100A'), 'id.format');
});

test('ID-1 rejects a wrong checksum and says the check digit does not match, without revealing it', () => {
  assertIdError(() => parse('110105194912310021'), 'id.checksum', /校验码/, /check digit/);
  assertIdError(() => parse('110105194912310120'), 'id.checksum'); // swapped neighbours
  assert.throws(
    () => parse('110105194912310021'),
    (e: DomainError) => {
      assert.doesNotMatch(e.text.zh + e.text.en, /\bX\b|应为|should be|expected/, 'must not reveal the expected digit');
      return true;
    },
  );
});

test('ID-1 rejects a wrong length and says how many characters were entered', () => {
  assertIdError(() => parse('11010519491231002'), 'id.length', /18位.*17位/, /18 characters.*entered 17/);
  assertIdError(() => parse(''), 'id.length', /0位/);
  assertIdError(() => parse('11010519491231002X1'), 'id.length');
  assertIdError(() => parseCitizenId(undefined as unknown as string), 'id.length');
});

test('ID-1 rejects non-digit characters and says at which position', () => {
  assertIdError(() => parse('1101051949A231002X'), 'id.format', /第11位“A”/, /Character 11 .*"A"/);
  assertIdError(() => parse('X10105194912310021'), 'id.format', /第1位/);
  assertIdError(() => parse('11010519491231002Y'), 'id.format', /最后一位“Y”/, /last character/);
  assertIdError(() => parse('110105 9491231002X'), 'id.format', /第7位/);
  assertIdError(() => parse('11010549123100X'), 'id.format', /第15位.*15位旧号码/, /15-digit/);
});

test('ID-1 rejects a province prefix outside the 34 province-level codes, even without a division list', () => {
  for (const bad of ['00', '10', '16', '20', '24', '30', '38', '47', '55', '60', '66', '72', '83', '91', '99']) {
    const first17 = `${bad}010519491231002`;
    assertIdError(() => parse(first17 + checkDigit(first17)), 'id.division', new RegExp(`“${bad}”`), /province code/);
  }
  const provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46];
  provinces.push(50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82);
  assert.equal(provinces.length, 34);
  for (const p of provinces) {
    const first17 = `${p}010519491231002`;
    assert.equal(parse(first17 + checkDigit(first17)).divisionCode, `${p}0105`);
  }
});

test('ID-1 checks the 6-digit division only when a division lookup is given', () => {
  const known = new Set(['110105']);
  const isKnownDivision = (code: string) => known.has(code);
  assert.equal(parse('11010519491231002X', { isKnownDivision }).divisionCode, '110105');
  const first17 = '11019919491231002';
  const unknown = first17 + checkDigit(first17);
  assert.equal(parse(unknown).divisionCode, '110199');
  assertIdError(() => parse(unknown, { isKnownDivision }), 'id.division', /前6位“110199”/, /first 6 digits/);
});

test('ID-1 rejects impossible, future and pre-1900 birth dates and says the birth date is wrong', () => {
  const withBirth = (yyyymmdd: string) => {
    const first17 = `110105${yyyymmdd}002`;
    return first17 + checkDigit(first17);
  };
  assertIdError(() => parse(withBirth('19990230')), 'id.birthdate', /第7–14位.*19990230.*不是存在的日期/, /not a real date/);
  assertIdError(() => parse(withBirth('19991301')), 'id.birthdate');
  assertIdError(() => parse(withBirth('19990229')), 'id.birthdate'); // 1999 is not a leap year
  assertIdError(() => parse(withBirth('19000229')), 'id.birthdate'); // nor is 1900
  assertIdError(() => parse(withBirth('20260303')), 'id.birthdate', /晚于今天/, /future/);
  assertIdError(() => parse(withBirth('18991231')), 'id.birthdate', /1900/, /before 1900/);
  assert.equal(parse(withBirth('20260302')).birthDate, '2026-03-02'); // born today is fine
  assert.equal(parse(withBirth('20000229')).birthDate, '2000-02-29');
});

test('ID-1 converts a 15-digit legacy ID to 18 characters with a 19xx year and a computed check digit', () => {
  assert.equal(convert15to18('110105491231002'), '11010519491231002X');
  assert.equal(convert15to18('440304900101001'), '440304199001010011');
  const info = parse('110105491231002');
  assert.deepEqual(info, { id: '11010519491231002X', birthDate: '1949-12-31', sex: 'F', divisionCode: '110105' });
  assert.equal(parse('110105491231003').sex, 'M');
  assertIdError(() => parse('110105490230002'), 'id.birthdate', /第7–12位/);
  assertIdError(() => parse('000105491231002'), 'id.division');
  assertIdError(() => convert15to18('11010519491231002X'), 'id.length', /15位/);
  assertIdError(() => convert15to18('1101054912310A2'), 'id.format');
});

test('ID-1 property: every generated ID with a valid date round-trips, and every single-digit change is caught', () => {
  let seed = 20260302;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31; // deterministic LCG so a failure is reproducible
    return seed % n;
  };
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  for (let i = 0; i < 500; i++) {
    const birth = new Date(Date.UTC(1900, 0, 1) + rand(46_000) * 86_400_000).toISOString().slice(0, 10);
    const first17 = `${pad(11 + rand(5), 2)}${pad(rand(10000), 4)}${birth.replaceAll('-', '')}${pad(rand(1000), 3)}`;
    const id = first17 + checkDigit(first17);
    const info = parse(id);
    assert.equal(info.id, id);
    assert.equal(info.birthDate, birth);
    assert.equal(info.sex, Number(id[16]) % 2 ? 'M' : 'F');
    // MOD 11-2 detects every single-digit substitution; position 14–16 keep the date part valid.
    const pos = 14 + rand(3);
    const wrong = String((Number(id[pos]) + 1 + rand(9)) % 10);
    assertIdError(() => parse(id.slice(0, pos) + wrong + id.slice(pos + 1)), 'id.checksum');
  }
});

test('SEC-1 maskCitizenId keeps the first 3 and last 4 characters and the length', () => {
  assert.equal(maskCitizenId('110105194912311234'), '110***********1234');
  assert.equal(maskCitizenId('11010519491231002X'), '110***********002X');
  assert.equal(maskCitizenId('11010519491231002X').length, 18);
  assert.equal(maskCitizenId('110105491231002'), '110********1002');
  assert.equal(maskCitizenId('1234567'), '*******'); // too short to show anything safely
  assert.equal(maskCitizenId(''), '');
});

test('NEW-4 ageOn counts whole years, including leap-day birthdays', () => {
  assert.equal(ageOn('2008-03-02', '2026-03-01'), 17);
  assert.equal(ageOn('2008-03-02', '2026-03-02'), 18);
  assert.equal(ageOn('1949-12-31', '2026-03-02'), 76);
  assert.equal(ageOn('2000-02-29', '2018-02-28'), 17);
  assert.equal(ageOn('2000-02-29', '2018-03-01'), 18);
  assert.equal(ageOn('2000-02-29', '2004-02-29'), 4);
  assert.throws(() => ageOn('2000-02-30', '2018-03-01'), (e: unknown) => (e as DomainError).code === 'date.format');
});
