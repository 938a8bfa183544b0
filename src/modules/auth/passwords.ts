/** SEC-3: argon2id (memory-hard) password hashes, and the password rule told to users in both languages. */
import { hash, verify } from '@node-rs/argon2';
import { invalid } from '../../domain/errors.js';

// OWASP's argon2id baseline (19 MiB, 2 passes); Algorithm.Argon2id is the library's default.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

let verifications = 0;
/** How many argon2 verifications this process has run (tests count them instead of timing logins). */
export const passwordVerifications = () => verifications;

let hashes = 0;
/** How many argon2 hashes this process has made (tests check that every answer costs the same work). */
export const passwordHashes = () => hashes;

export const hashPassword = (plain: string) => {
  hashes++;
  return hash(plain, OPTIONS);
};
export const verifyPassword = (stored: string, plain: string) => {
  verifications++;
  return verify(stored, plain).catch(() => false);
};

/**
 * A hash of a random password with the same parameters, checked when the account does not exist,
 * so an unknown name costs the same argon2 work as a known one and the answer's timing tells nothing.
 */
let dummy: Promise<string> | null = null;
export const dummyHash = () => (dummy ??= hash(`no-such-account-${Math.random()}`, OPTIONS));

export function checkPasswordRule(plain: string, field = 'password') {
  if (plain.length < 8 || !/[A-Za-z]/.test(plain) || !/\d/.test(plain)) {
    throw invalid('password.weak', '密码至少8位，且须同时包含字母和数字。', 'The password needs at least 8 characters with both letters and digits.', field);
  }
}
