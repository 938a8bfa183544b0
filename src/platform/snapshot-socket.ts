/**
 * SEC-2 backups of the embedded database while the service runs. Only the process holding a PGlite
 * data folder may read it (see lockDataDir), so that process answers snapshot requests on a Unix
 * socket in the folder: `npm run cli -- backup` asks it for a consistent copy instead of stopping the
 * service. The socket is as private as the folder (mode 0600): whoever may connect could read the
 * database files anyway.
 */
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export const snapshotSocket = (dataDir: string) => join(dataDir, 'tongban.sock');

const REQUEST = 'snapshot\n';

/** Serves `snapshot()` to each client that asks; a failure is answered, not thrown. */
export async function serveSnapshots(dataDir: string, snapshot: () => Promise<Buffer>): Promise<() => Promise<void>> {
  const path = snapshotSocket(dataDir);
  // A socket file left by a crashed owner is ours to replace: the caller holds the folder's lock.
  rmSync(path, { force: true });
  const server = createServer((conn) => {
    let asked = '';
    conn.on('error', () => {}); // a client that hangs up early is no concern of the service
    conn.on('data', async (chunk) => {
      asked += chunk.toString('latin1');
      if (asked.length < REQUEST.length) return;
      conn.removeAllListeners('data');
      if (asked !== REQUEST) return conn.end(header({ ok: false, error: 'unknown request' }));
      try {
        const bytes = await snapshot();
        conn.write(header({ ok: true, size: bytes.length }));
        conn.end(bytes);
      } catch (e) {
        conn.end(header({ ok: false, error: String((e as Error).message) }));
      }
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
  } catch (e) {
    // e.g. a path longer than a socket address allows (about 100 bytes): the service still runs,
    // only backups then need it stopped.
    process.emitWarning(`live backups are unavailable: cannot listen on ${path}: ${(e as Error).message}`);
    return async () => {};
  }
  chmodSync(path, 0o600);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

const header = (h: { ok: true; size: number } | { ok: false; error: string }) => JSON.stringify(h) + '\n';

/**
 * Asks the folder's owner for a snapshot. Null when nobody answers on the socket (no service is
 * running, or it crashed and left the file): the caller may then open the folder itself.
 */
export function requestSnapshot(dataDir: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const conn = createConnection(snapshotSocket(dataDir), () => conn.write(REQUEST));
    conn.on('data', (c) => chunks.push(c));
    conn.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') resolve(null);
      else reject(e);
    });
    conn.on('end', () => {
      const all = Buffer.concat(chunks);
      const nl = all.indexOf(10);
      const h = nl < 0 ? null : JSON.parse(all.subarray(0, nl).toString('utf8'));
      const body = all.subarray(nl + 1);
      if (!h) reject(new Error('the service closed the backup socket without answering'));
      else if (!h.ok) reject(new Error(`the service could not make a snapshot: ${h.error}`));
      else if (body.length !== h.size) reject(new Error(`the snapshot was cut short (${body.length} of ${h.size} bytes)`));
      else resolve(body);
    });
  });
}
