import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors.js';
import { certificateNumber, parseCertificateNumber } from './certificate-number.js';

const ID = '11010519491231002X';

function assertCertError(no: string, code: string, zh: RegExp, en: RegExp) {
  assert.throws(
    () => parseCertificateNumber(no),
    (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, code);
      assert.equal(e.field, 'certificateNumber');
      assert.match(e.text.zh, zh);
      assert.match(e.text.en, en);
      return true;
    },
  );
}

test('ID-2 single disability: certificate number is the ID, the category digit and the level digit', () => {
  const no = certificateNumber(ID, [{ category: 4, level: 3 }]);
  assert.equal(no, '11010519491231002X43');
  assert.equal(no.length, 20);
});

test('ID-2 multiple disability: category 7 and the most severe level', () => {
  const no = certificateNumber(ID, [
    { category: 2, level: 3 },
    { category: 3, level: 2 },
  ]);
  assert.equal(no, '11010519491231002X72');
});

test('ID-2 a legacy 15-digit ID is converted, and an invalid ID or disability list is refused', () => {
  assert.equal(certificateNumber('110105491231002', [{ category: 1, level: 1 }]), '11010519491231002X11');
  assert.throws(() => certificateNumber('110105194912310021', [{ category: 1, level: 1 }]), (e: unknown) => {
    return e instanceof DomainError && e.code === 'id.checksum';
  });
  assert.throws(() => certificateNumber(ID, []), (e: unknown) => e instanceof DomainError && e.code === 'disabilities.empty');
});

test('ID-2 parseCertificateNumber round-trips and normalises case and spaces', () => {
  assert.deepEqual(parseCertificateNumber('11010519491231002X43'), { citizenId: ID, category: 4, level: 3 });
  assert.deepEqual(parseCertificateNumber(' 11010519491231002x72 '), { citizenId: ID, category: 7, level: 2 });
});

test('ID-2 parseCertificateNumber says which part is wrong', () => {
  assertCertError('11010519491231002X4', 'certificate.length', /20位.*19位/, /20 characters.*entered 19/);
  assertCertError('11010519491231002X0', 'certificate.length', /20位/, /20 characters/);
  assertCertError('11010519491231002X81', 'certificate.category', /第19位“8”/, /Character 19/);
  assertCertError('11010519491231002X01', 'certificate.category', /第19位/, /1 to 7/);
  assertCertError('11010519491231002X15', 'certificate.level', /第20位“5”/, /Character 20/);
  assertCertError('11010519491231002XX0', 'certificate.category', /第19位“X”/, /"X"/);
  assertCertError('11010519491231002113', 'id.checksum', /前18位.*校验码/, /first 18 characters.*check digit/);
  assertCertError('1101051949123A002X13', 'id.format', /前18位.*第14位/, /Character 14/);
});

test('ID-2 parseCertificateNumber does not require a currently known division', () => {
  // 110103 (崇文区) was merged away in 2010, but certificates carrying it stay valid.
  const id = '110103194912310027';
  assert.equal(parseCertificateNumber(`${id}52`).citizenId, id);
});
