import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CertificateFacts, certificateMatterRefusal, validityEnd } from './certificates.js';

test('CARD-2 a certificate is valid ten years from its issue date; 29 February ends on 28 February', () => {
  assert.equal(validityEnd('2016-05-20'), '2026-05-20');
  assert.equal(validityEnd('2016-02-29'), '2026-02-28');
  assert.equal(validityEnd('2020-02-29'), '2030-02-28');
  assert.equal(validityEnd('2012-12-31'), '2022-12-31');
});

test('REISSUE-1 a card reported lost can only be reissued (again, when a reissue was returned or refused) or cancelled', () => {
  const lost: CertificateFacts = { state: 'reported_lost', validFrom: '2020-05-01', validUntil: '2030-05-01', disabilities: [{ category: 4, level: 2 }], visualAssessment: false };
  assert.equal(certificateMatterRefusal({ matter: 'reissue' }, lost, '2026-11-27'), null);
  assert.equal(certificateMatterRefusal({ matter: 'cancel', variant: 'whole' }, lost, '2026-11-27'), null);
  for (const r of [{ matter: 'renew', variant: 'damaged' }, { matter: 'transfer' }, { matter: 'change', categories: [4] }]) {
    const refusal = certificateMatterRefusal(r, lost, '2026-11-27');
    assert.match(refusal?.zh ?? '', /已挂失.*只能办理挂失补办或注销/, r.matter);
    assert.match(refusal?.en ?? '', /reported lost.*can only be reissued or cancelled/, r.matter);
  }
});
