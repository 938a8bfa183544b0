/**
 * SEC-1: field encryption (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).
 * Keys come from TONGBAN_DATA_KEY / TONGBAN_INDEX_KEY (base64, 32 bytes) in production; on a
 * development machine a key file is generated into the data folder on first start.
 * Ciphertext format: 'v1:' + base64(iv[12] | tag[16] | ciphertext), so keys can be rotated later
 * by adding 'v2' without touching old rows.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Keys = { dataKey: Buffer; indexKey: Buffer };

export function loadKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): Keys {
  if (env.TONGBAN_DATA_KEY && env.TONGBAN_INDEX_KEY) {
    return { dataKey: decodeKey(env.TONGBAN_DATA_KEY), indexKey: decodeKey(env.TONGBAN_INDEX_KEY) };
  }
  const file = join(dataDir, 'dev-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const fresh = { dataKey: randomBytes(32).toString('base64'), indexKey: randomBytes(32).toString('base64') };
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8'));
  return { dataKey: decodeKey(stored.dataKey), indexKey: decodeKey(stored.indexKey) };
}

function decodeKey(b64: string): Buffer {
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new Error('encryption keys must be 32 bytes, base64-encoded');
  return key;
}

export class FieldCrypto {
  constructor(private readonly keys: Keys) {}

  /** iv[12] | tag[16] | ciphertext — for files; text fields wrap it in 'v1:' + base64. */
  encryptBytes(plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.dataKey, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decryptBytes(sealed: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.keys.dataKey, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  }

  encrypt(plain: string): string {
    return 'v1:' + this.encryptBytes(Buffer.from(plain, 'utf8')).toString('base64');
  }

  decrypt(stored: string): string {
    if (!stored.startsWith('v1:')) throw new Error('unknown ciphertext version');
    return this.decryptBytes(Buffer.from(stored.slice(3), 'base64')).toString('utf8');
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(stored: string): T {
    return JSON.parse(this.decrypt(stored)) as T;
  }

  /** Deterministic keyed index: equal inputs give equal tokens, but the token reveals nothing without the key. */
  blindIndex(kind: string, value: string): string {
    return createHmac('sha256', this.keys.indexKey).update(kind + ':' + value).digest('base64url');
  }
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');
