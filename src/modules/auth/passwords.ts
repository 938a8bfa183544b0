/** SEC-3: argon2id (memory-hard) password hashes, and the password rule told to users in both languages. */
import { hash, verify } from '@node-rs/argon2';
import { invalid } from '../../domain/errors.js';

// OWASP's argon2id baseline (19 MiB, 2 passes); Algorithm.Argon2id is the library's default.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (plain: string) => hash(plain, OPTIONS);
export const verifyPassword = (stored: string, plain: string) => verify(stored, plain).catch(() => false);

export function checkPasswordRule(plain: string, field = 'password') {
  if (plain.length < 8 || !/[A-Za-z]/.test(plain) || !/\d/.test(plain)) {
    throw invalid('password.weak', '密码至少8位，且须同时包含字母和数字。', 'The password needs at least 8 characters with both letters and digits.', field);
  }
}
