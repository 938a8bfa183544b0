import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disclosureRefusal, effectiveState, projectFields } from './sharing.js';

const agreement = { state: 'approved' as const, validFrom: '2026-01-01', validUntil: '2026-12-31', channels: ['api'], fields: ['name', 'certificate_state'] };

test('SEC-5 an agreement allows a disclosure only when approved, in its period, through an agreed channel, for agreed fields', () => {
  assert.equal(disclosureRefusal(agreement, 'api', '2026-06-01'), null);
  assert.match(disclosureRefusal(agreement, 'api', '2027-01-01')!.zh, /已到期/);
  assert.match(disclosureRefusal(agreement, 'api', '2025-12-31')!.en, /has not begun/);
  assert.match(disclosureRefusal({ ...agreement, state: 'draft' }, 'api', '2026-06-01')!.zh, /草稿/);
  assert.match(disclosureRefusal({ ...agreement, state: 'revoked' }, 'api', '2026-06-01')!.en, /revoked/);
  assert.match(disclosureRefusal(agreement, 'spreadsheet', '2026-06-01')!.zh, /表格导出/);
  assert.match(disclosureRefusal(agreement, 'api', '2026-06-01', ['id_number'])!.zh, /身份证号/);
  assert.equal(effectiveState(agreement, '2026-12-31'), 'approved', 'the last day is inside the period');
  assert.equal(effectiveState(agreement, '2027-01-01'), 'expired');
});

test('SEC-5 only the agreed fields are projected', () => {
  assert.deepEqual(projectFields({ name: '张三', id_number: '330106199001011234', certificate_state: 'active' }, ['name', 'certificate_state']), { name: '张三', certificate_state: 'active' });
});
