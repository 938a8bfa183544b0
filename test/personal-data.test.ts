/** SEC-1 personal data encrypted, masked and every full view logged; SEC-2 the audit chain detects tampering. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAuditChains } from '../src/modules/audit/audit-chain.js';
import { harness, login, makeCitizenId } from './harness.js';
import { certificateRow, ok, toResultReview, XIHU_VILLAGE } from './fixtures.js';

async function approvedPerson(h: Awaited<ReturnType<typeof harness>>) {
  const clerk = await login(h, 'xihu.clerk');
  const doctor = await login(h, 'xihu.doctor');
  const idNumber = makeCitizenId({ division: '330106' });
  const c = await toResultReview(h, clerk, doctor, { idNumber, hukouCode: XIHU_VILLAGE, applicant: { idNumber, name: '欧阳明月', phone: '13612345678', address: '北山街道宝石山下一弄' } });
  await ok(clerk.act(c.id, 'forward_to_hukou'));
  await ok((await login(h, 'xihu.approver')).act(c.id, 'approve', { photoOnFile: true }));
  const found = await ok(clerk.get(`/api/persons?idNumber=${idNumber}`));
  return { clerk, idNumber, c, personId: found.items[0].id as string };
}

test('SEC-1 ID numbers, certificate numbers, names, phones and addresses are encrypted at rest in every column of every table; lookups use the blind index', async () => {
  const h = await harness();
  const { idNumber, personId } = await approvedPerson(h);
  const [cert] = await h.db.query('SELECT id FROM certificate WHERE person_id = $1', [personId]);
  const certificateNumber = (await certificateRow(h, cert.id)).number;
  assert.equal(certificateNumber, `${idNumber}42`);
  // every table, every column (text, jsonb, arrays …) as one JSON text per row
  const tables = await h.db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
  assert.ok(tables.length > 30, `${tables.length} tables scanned`);
  for (const { table_name: table } of tables) {
    const rows = await h.db.query(`SELECT row_to_json(t)::text AS j FROM "${table}" t`);
    // the ID number also stands for the certificate number, which begins with it
    for (const secret of [idNumber, idNumber.slice(0, 17), '欧阳明月', '13612345678', '宝石山下一弄']) {
      assert.ok(!rows.some((r) => r.j.includes(secret)), `${table} holds "${secret}" in clear text`);
    }
  }
  const [p] = await h.db.query('SELECT id_enc, id_bidx, id_masked FROM person WHERE id = $1', [personId]);
  assert.match(p.id_enc, /^v1:/);
  assert.equal(p.id_masked, idNumber.slice(0, 3) + '*'.repeat(11) + idNumber.slice(14));
});

test('SEC-1 lists and the person file are masked; the full record needs an explicit, logged request', async () => {
  const h = await harness();
  const { clerk, idNumber, personId } = await approvedPerson(h);
  const file = await ok(clerk.get(`/api/persons/${personId}`));
  assert.equal(file.idNumberMasked, `${idNumber.slice(0, 3)}***********${idNumber.slice(14)}`);
  assert.equal(file.nameMasked, '欧***');
  assert.ok(!JSON.stringify(file).includes(idNumber));
  assert.ok(!JSON.stringify(await ok(clerk.get('/api/worklist?pageSize=100'))).includes(idNumber));

  const before = (await h.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'person.view_full' AND object_id = $1`, [personId]))[0].n;
  const full = await ok(clerk.post(`/api/persons/${personId}/reveal`, { purpose: '核对申请人身份' }));
  assert.equal(full.idNumber, idNumber);
  assert.equal(full.name, '欧阳明月');
  assert.equal(full.phone, '13612345678');
  const logged = await h.db.query(`SELECT actor, detail FROM audit_entry WHERE action = 'person.view_full' AND object_id = $1`, [personId]);
  assert.equal(logged.length, before + 1);
  assert.equal(logged.at(-1)!.detail.purpose, '核对申请人身份');
  const doctor = await login(h, 'xihu.doctor');
  assert.equal((await doctor.post(`/api/persons/${personId}/reveal`, { purpose: '查看' })).status, 403);
});

test('SEC-2 the audit trail is append-only and verification finds an entry altered behind the database’s back', async () => {
  const h = await harness();
  await approvedPerson(h);
  assert.deepEqual((await verifyAuditChains(h.db)).broken, []);
  await assert.rejects(h.db.query(`UPDATE audit_entry SET actor = 'staff:someone-else' WHERE seq = 1`), /append-only/);
  await assert.rejects(h.db.query(`DELETE FROM audit_entry WHERE seq = 1`), /append-only/);

  // an operator with superuser rights goes around the trigger; the chain shows it
  const [victim] = await h.db.query(`SELECT chain, seq, detail FROM audit_entry WHERE action = 'case.approve' ORDER BY at DESC LIMIT 1`);
  const tamper = async (detail: unknown) =>
    h.db.tx(async (q) => {
      await q.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update');
      await q.query('UPDATE audit_entry SET detail = $3 WHERE chain = $1 AND seq = $2', [victim.chain, victim.seq, JSON.stringify(detail)]);
      await q.query('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update');
    });
  await tamper({ ...victim.detail, to: 'rejected' });
  const report = await verifyAuditChains(h.db);
  assert.deepEqual(report.broken, [{ chain: victim.chain, seq: victim.seq, problem: 'entry content altered' }]);
  await tamper(victim.detail); // put it back so the shared test database stays consistent
  assert.deepEqual((await verifyAuditChains(h.db)).broken, []);
});

test('SEC-2 each org unit has its own chain, so counties never wait on one another', async () => {
  const h = await harness();
  await approvedPerson(h);
  const chains = await h.db.query('SELECT chain FROM audit_chain');
  const orgs = await h.db.query(`SELECT id FROM org_unit WHERE name IN ('杭州市西湖区残疾人联合会', '西湖区残疾评定定点医院（演示）')`);
  for (const org of orgs) assert.ok(chains.some((c) => c.chain === org.id), `a chain for org ${org.id}`);
  assert.equal(orgs.length, 2);
});

test('SEC-1 health data — the assessment, its measurements and reasons — and every history payload are encrypted at rest', async () => {
  const h = await harness();
  const { c } = await approvedPerson(h);
  const [row] = await h.db.query('SELECT data::text AS data, health_enc FROM case_file WHERE id = $1', [c.id]);
  assert.ok(!row.data.includes('assessment') && !row.data.includes('disabilities'), 'no assessment in the readable case data');
  assert.match(row.health_enc, /^v1:/);
  const events = await h.db.query('SELECT payload_enc FROM case_event WHERE case_id = $1', [c.id]);
  assert.ok(events.length >= 4 && events.every((e) => /^v1:/.test(e.payload_enc)));
  // and the people who may see the case still see all of it
  const clerk = await login(h, 'xihu.clerk');
  const view = await ok(clerk.get(`/api/cases/${c.id}`));
  assert.deepEqual(view.data.assessment.disabilities, [{ category: 4, level: 2 }]);
  const history = await ok(clerk.get(`/api/cases/${c.id}/history`));
  assert.deepEqual(history.find((e: any) => e.action === 'record_assessment').payload.disabilities, [{ category: 4, level: 2 }]);
});
