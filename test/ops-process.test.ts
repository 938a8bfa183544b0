/**
 * Issue 15 item 19 and issue 13 item 6: `npm start` as an operator runs it — the built server in
 * its own process on a free loopback port with a throwaway DATA_DIR — stops cleanly on SIGTERM (what
 * systemd, docker stop and a supervisor send) and on Ctrl-C (SIGINT to the whole process group, as
 * a terminal sends it): new connections are refused at once, the request in flight is answered, the
 * node process is gone and the exit code is 0. The build is brought up to date first, as prestart does.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'tongban-ops-'));

before(() => {
  execFileSync('node', ['scripts/build-if-changed.mjs'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
});
const started: ChildProcess[] = [];
after(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) process.kill(-p.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

type Started = { npm: ChildProcess; port: number; exit: Promise<{ code: number | null; signal: string | null }>; output: () => string };

/** `npm start` (prestart finds the build current) in its own process group, as a terminal would run it. */
async function npmStart(): Promise<Started> {
  const port = await freePort();
  let out = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'info' };
  delete env.HOST;
  delete env.DATABASE_URL;
  const npm = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npm.stdout!.on('data', (d) => (out += d));
  npm.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => npm.on('exit', (code, signal) => resolve({ code, signal })));
  // whatever a failed assertion leaves behind is stopped, so no server outlives the test
  started.push(npm);
  // polling the port is the synchronisation: the server answers once it has migrated and listens
  const end = Date.now() + 170_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (npm.exitCode !== null || Date.now() > end) throw new Error(`npm start never answered /api/health:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { npm, port, exit, output: () => out };
}

/** The node server npm runs (npm → node, since the start script execs it). */
function serverPid(npmPid: number): number {
  const pids = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(npmPid)], { encoding: 'utf8' }).trim().split('\n');
  const line = pids.find((l) => l.includes('dist/src/main.js'));
  assert.ok(line, `no node child of npm: ${pids.join(' | ')}`);
  return Number(line.trim().split(/\s+/)[0]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Opens a connection and sends a login request's headers and half its body; the rest is sent later. */
function halfSentLogin(port: number) {
  const body = JSON.stringify({ username: 'nobody.here', password: 'NotTheRightOne1' });
  const socket: Socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (d) => (answer += d));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
  const ready = new Promise<void>((resolve) => socket.on('connect', resolve));
  return {
    async start() {
      await ready;
      socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nX-Tongban-Client: test\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
    },
    finish() {
      socket.write(body.slice(10));
    },
    closed,
  };
}

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });

test('ops: SIGTERM to npm start drains the request in flight, refuses new connections, ends the node server and exits 0', { timeout: 300_000 }, async () => {
  const s = await npmStart();
  const node = serverPid(s.npm.pid!);
  assert.match(s.output(), /listening on http:\/\/127\.0\.0\.1:/, 'HOST unset: loopback only');
  const inFlight = halfSentLogin(s.port);
  await inFlight.start();
  // the server has the request's headers once it logs them; then the signal arrives mid-request
  const end = Date.now() + 30_000;
  while (!/"url":"\/api\/auth\/login"/.test(s.output())) {
    assert.ok(Date.now() < end, 'the server never saw the login request');
    await new Promise((r) => setTimeout(r, 20));
  }
  process.kill(s.npm.pid!, 'SIGTERM');
  const stopAccepting = Date.now() + 30_000;
  while (!(await refusesConnections(s.port))) {
    assert.ok(Date.now() < stopAccepting, 'still accepting new connections after SIGTERM');
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(alive(node), 'the server waits for the request in flight');
  inFlight.finish();
  const answer = await inFlight.closed;
  assert.match(answer, /^HTTP\/1\.1 401 /, answer.slice(0, 200));
  assert.match(answer, /\r\nconnection: close\r\n/i, 'the drained request ends its connection');
  const exit = await s.exit;
  assert.deepEqual(exit, { code: 0, signal: null }, `${JSON.stringify(exit)}\n${s.output().slice(-3000)}`);
  assert.equal(alive(node), false, 'the node server is gone');
  assert.match(s.output(), /"msg":"shut down cleanly"/);
});

test('ops: Ctrl-C (SIGINT to the process group) stops npm start: the node server gone, exit 0', { timeout: 300_000 }, async () => {
  const s = await npmStart();
  const node = serverPid(s.npm.pid!);
  process.kill(-s.npm.pid!, 'SIGINT');
  assert.deepEqual(await s.exit, { code: 0, signal: null });
  assert.equal(alive(node), false, 'the node server is gone');
  assert.match(s.output(), /"msg":"shut down cleanly"/);
});
