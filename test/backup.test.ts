/** SEC-2 the embedded database's folder lock. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DomainError } from '../src/domain/errors.js';
import { lockDataDir, processStartTime } from '../src/platform/db.js';

test('SEC-2 the data-folder lock: a pid reused after a crash is taken over, a live owner is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-lock-'));
  try {
    const file = join(dir, 'tongban.lock');
    const other = process.ppid; // a live process that is not us
    const started = processStartTime(other);
    assert.match(String(started), /^\d+$/, 'this test needs /proc (Linux)');

    // the lock a crashed service left, its pid now reused by another process started at another time
    writeFileSync(file, JSON.stringify({ pid: other, start: String(Number(started) - 1) }));
    const release = lockDataDir(dir);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { pid: process.pid, start: processStartTime(process.pid) });
    release();
    assert.equal(existsSync(file), false);

    // the same pid and start time: the owner is alive and keeps its folder
    writeFileSync(file, JSON.stringify({ pid: other, start: started }));
    assert.throws(() => lockDataDir(dir), (e: unknown) => e instanceof DomainError && e.code === 'data.locked' && e.text.en.includes(`(pid ${other})`) && e.text.zh.includes(`pid ${other}`));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { pid: other, start: started });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
