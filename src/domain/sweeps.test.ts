import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addCalendarMonths } from './dates.js';
import { MOVE_COLUMNS, validateMoveRows } from './hukou-moves.js';
import { formatRowProblems } from './legacy-certificates.js';
import { outstandingMove, sweepCertificate, type SweepInput, type SweepMove } from './sweeps.js';

const XIHU = '33.3301.330106.';
const JINSHUI = '41.4101.410105.';
const SHANGCHENG = '33.3301.330102.';
const move = (id: string, movedOn: string, toCountyPath = JINSHUI): SweepMove => ({ id, movedOn, toCountyPath });
const input = (over: Partial<SweepInput>): SweepInput => ({
  today: '2027-06-01',
  certificate: { state: 'active', validUntil: '2030-01-01' },
  holderCountyPath: XIHU,
  moves: [],
  transferredOn: null,
  ...over,
});
const kinds = (i: SweepInput) => sweepCertificate(i).candidates.map((c) => c.kind);

test('TRF-4 month arithmetic: the same date n months on, or the month’s last day when it has no such date', () => {
  assert.equal(addCalendarMonths('2026-01-15', 6), '2026-07-15');
  assert.equal(addCalendarMonths('2026-08-31', 6), '2027-02-28');
  assert.equal(addCalendarMonths('2027-08-31', 6), '2028-02-29', 'leap year');
  assert.equal(addCalendarMonths('2026-03-31', 12), '2027-03-31');
  assert.equal(addCalendarMonths('2028-02-29', 12), '2029-02-28');
  assert.equal(addCalendarMonths('2026-12-31', 2), '2027-02-28');
  assert.equal(addCalendarMonths('2026-07-31', -1), '2026-06-30');
  assert.equal(addCalendarMonths('2026-11-27', 0), '2026-11-27');
});

test('CARD-2 an active or frozen certificate expires the day after its validity ends, not on it', () => {
  const on = (state: SweepInput['certificate']['state'], today: string) => sweepCertificate(input({ today, certificate: { state, validUntil: '2027-06-01' } })).expire;
  assert.equal(on('active', '2027-06-01'), false, 'valid through its last day');
  assert.equal(on('active', '2027-06-02'), true);
  assert.equal(on('frozen', '2027-06-02'), true);
  for (const s of ['reported_lost', 'expired', 'cancelled'] as const) assert.equal(on(s, '2027-06-02'), false, s);
});

test('TRF-4 freeze candidate only after MORE than 6 months (month ends counted as people count them)', () => {
  const moves = [move('m', '2026-08-31')];
  assert.deepEqual(kinds(input({ moves, today: '2027-02-28' })), [], 'exactly six months: not yet');
  assert.deepEqual(kinds(input({ moves, today: '2027-03-01' })), ['freeze']);
  const mid = [move('m', '2026-01-15')];
  assert.deepEqual(kinds(input({ moves: mid, today: '2026-07-15' })), []);
  assert.deepEqual(kinds(input({ moves: mid, today: '2026-07-16' })), ['freeze']);
  assert.equal(sweepCertificate(input({ moves: mid, today: '2026-07-16' })).candidates[0].move.id, 'm');
});

test('TRF-4 cancel candidate only after MORE than a year; active certificates are freeze candidates too, frozen ones only for cancelling', () => {
  const moves = [move('m', '2028-02-29')];
  assert.deepEqual(kinds(input({ moves, today: '2029-02-28' })), ['freeze'], 'a year after 29 February is 28 February: not yet');
  assert.deepEqual(kinds(input({ moves, today: '2029-03-01' })), ['freeze', 'cancel']);
  assert.deepEqual(kinds(input({ moves, today: '2029-03-01', certificate: { state: 'frozen', validUntil: '2035-01-01' } })), ['cancel']);
  for (const state of ['reported_lost', 'expired', 'cancelled'] as const) {
    assert.deepEqual(kinds(input({ moves, today: '2029-03-01', certificate: { state, validUntil: '2035-01-01' } })), [], state);
  }
});

test('TRF-4 CARD-2 a certificate expiring today is expired, not put on the list', () => {
  const outcome = sweepCertificate(input({ moves: [move('m', '2025-01-01')], today: '2027-06-02', certificate: { state: 'active', validUntil: '2027-06-01' } }));
  assert.deepEqual(outcome, { expire: true, candidates: [] });
});

test('TRF-4 a transfer completed on or after the move settles it; a move back into the county ends the absence', () => {
  const moves = [move('m', '2026-01-10')];
  assert.deepEqual(kinds(input({ moves, transferredOn: '2026-03-01' })), []);
  assert.deepEqual(kinds(input({ moves, transferredOn: '2026-01-10' })), [], 'transferred the same day');
  assert.deepEqual(kinds(input({ moves, transferredOn: '2025-12-01' })), ['freeze', 'cancel'], 'an older transfer settles nothing');
  assert.equal(outstandingMove([move('a', '2026-01-10'), move('b', '2026-02-01', XIHU)], XIHU, null), null, 'moved back');
  assert.equal(outstandingMove([move('a', '2026-01-10', XIHU)], XIHU, null), null, 'a move within the county is no move out');
});

test('TRF-4 of several moves while away the first out of the holder’s county counts, whatever order they come in', () => {
  const moves = [move('c', '2026-09-01', SHANGCHENG), move('b', '2026-02-01', JINSHUI), move('old', '2025-01-01', XIHU)];
  assert.equal(outstandingMove(moves, XIHU, null)?.id, 'b');
  assert.equal(outstandingMove(moves, XIHU, '2026-05-01')?.id, 'c', 'after a transfer only later moves count');
});

test('TRF-4 hukou-move rows: every problem of every row with its line, duplicates named with both lines, all or nothing', () => {
  const today = '2026-11-27';
  const id = '11010519491231002X'; // GB 11643's worked example
  const lines = [
    { line: 1, cells: ['身份证号码', '迁出地', '迁入地', '迁移日期'] },
    { line: 2, cells: [id, '330106002052', '410105001003', '2026/5/20'] },
    { line: 3, cells: [id, '330106', '410105', '2026-05-20'] },
    { line: 4, cells: [id.slice(0, 17) + '1', '33010', '330106', '2027-01-01'] },
    { line: 5, cells: [id, '330106', '330106', '1940-01-01'] },
    { line: 7, cells: [id, '330106'] },
  ];
  const { rows, problems } = validateMoveRows(lines, today);
  assert.deepEqual(rows.map((r) => [r.line, r.movedOn, r.fromCode]), [[2, '2026-05-20', '330106002052']]);
  assert.deepEqual(problems.map((p) => [p.line, p.column]), [
    [3, 'idNumber'],
    [4, 'idNumber'], [4, 'fromCode'], [4, 'movedOn'],
    [5, 'toCode'], [5, 'movedOn'],
    [7, null],
  ]);
  const report = formatRowProblems(problems, MOVE_COLUMNS);
  assert.match(report.join('\n'), /^第3行【身份证号码】与第2行是同一人同一天的迁移/m);
  assert.match(report.join('\n'), /^ {2}line 4 \[date of the move\] The date of the move 2027-01-01 is in the future\.$/m);
  assert.match(report.join('\n'), /^第5行【迁移日期】迁移日期1940-01-01早于此人的出生日期1949-12-31/m);
  assert.match(report.join('\n'), /^第7行【整行】本行有2列，应为4列/m);
});
