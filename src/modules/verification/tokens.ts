/**
 * SEC-4: signing and checking card verification tokens with Ed25519. The key is a PEM file outside
 * the database (CARD_SIGNING_KEY_FILE, like the audit checkpoint key), made on first use with mode
 * 0600; whoever holds only the database cannot mint a valid QR code. The format is domain/cards.ts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { badToken, parsePayload, TOKEN_PATTERN, TOKEN_PAYLOAD_BYTES, tokenPayload, tokenShapeOk, unknownCard, type CardRef } from '../../domain/cards.js';

type CardKey = { privateKey: KeyObject; publicKey: KeyObject };
const keys = new Map<string, CardKey>();

function cardKey(file: string): CardKey {
  let k = keys.get(file);
  if (k) return k;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e; // another process made it first: use theirs
    }
  }
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 private key`);
  k = { privateKey, publicKey: createPublicKey(privateKey) };
  keys.set(file, k);
  return k;
}

export function signCardToken(keyFile: string, ref: CardRef): string {
  const payload = Buffer.from(tokenPayload(ref));
  return Buffer.concat([payload, sign(null, payload, cardKey(keyFile).privateKey)]).toString('base64url');
}

/**
 * The card a token names — only after its shape (400) and its signature (404) hold, so a guessed or
 * altered token never reaches the database and cannot be used to enumerate cards.
 */
export function checkCardToken(keyFile: string, token: string): CardRef {
  if (!TOKEN_PATTERN.test(token)) throw badToken();
  const raw = Buffer.from(token, 'base64url');
  // one encoding per token: a variant spelling of the same bytes (trailing bits) is refused too
  if (!tokenShapeOk(token, raw) || raw.toString('base64url') !== token) throw badToken();
  const payload = raw.subarray(0, TOKEN_PAYLOAD_BYTES);
  const signature = raw.subarray(TOKEN_PAYLOAD_BYTES);
  if (!verify(null, payload, cardKey(keyFile).publicKey, signature)) throw unknownCard();
  return parsePayload(payload);
}
