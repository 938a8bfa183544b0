/**
 * Phone numbers confirmed by an SMS code (issue 10 item 10, issue 15 item 4), for applicant
 * registration and password reset, built so that neither reveals whether a number has an account:
 *
 * - asking for a code always gets the same answer; only the text message differs — a code when the
 *   step can go ahead, otherwise a note (the number already has an account / has none) that only the
 *   phone's holder reads;
 * - a row is stored either way: the hash of the code sent, or of a random code nobody knows, so
 *   checking a code takes the same path and the same answer whether or not the account exists;
 * - sends are counted per number and per client address with the login backoff (throttle.ts), so
 *   nobody can flood a phone or spend the SMS budget; tries are counted per code before it is
 *   compared, and five wrong tries burn it.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { DomainError, invalid, type Bilingual } from '../../domain/errors.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db.js';
import { maskPhone } from '../notifications/sms.js';
import { admitAttempt, attemptSucceeded, type ThrottleKeys } from './throttle.js';

export type CodePurpose = 'register' | 'reset';
export const CODE_MINUTES = 10;
export const CODE_ATTEMPTS = 5;

const SIGNATURE = '【通办】';
/** What the text says: a code when the step can go ahead for this number, otherwise what to do instead. */
const MESSAGES: Record<CodePurpose, { usable: (code: string) => string; unusable: string }> = {
  register: {
    usable: (code) => `${SIGNATURE}您正在注册残疾人证网上办理账号，验证码 ${code}，${CODE_MINUTES}分钟内有效。如非本人操作，请忽略本短信。`,
    unusable: `${SIGNATURE}本手机号已注册残疾人证网上办理账号，请直接登录；如忘记密码，请在登录页点“忘记密码”重设。如非本人操作，请忽略本短信。`,
  },
  reset: {
    usable: (code) => `${SIGNATURE}您正在重设残疾人证网上办理账号的密码，验证码 ${code}，${CODE_MINUTES}分钟内有效。如非本人操作，请忽略本短信，您的密码不会改变。`,
    unusable: `${SIGNATURE}本手机号尚未注册残疾人证网上办理账号，无法重设密码；如需网上办理，请在登录页注册。如非本人操作，请忽略本短信。`,
  },
};

/** The one answer to every code request, whatever the number. */
export const CODE_SENT: Bilingual = {
  zh: `短信已发送到该手机号，请按短信提示操作（验证码${CODE_MINUTES}分钟内有效）。`,
  en: `A text message has been sent to this number; follow what it says (a code is valid for ${CODE_MINUTES} minutes).`,
};

export const badPhoneCode = () =>
  invalid(
    'applicant.bad_code',
    `验证码不正确或已失效。请核对短信中的6位验证码；验证码${CODE_MINUTES}分钟内有效，输错${CODE_ATTEMPTS}次后失效，失效后请重新获取。`,
    `The code is wrong or no longer valid. Check the 6 digits in the text message; a code is valid for ${CODE_MINUTES} minutes and is void after ${CODE_ATTEMPTS} wrong tries — then ask for a new one.`,
    'code',
  );

const smsRefusal = (china: string): Bilingual => ({
  zh: `获取验证码过于频繁，请于北京时间 ${china} 之后再试。`,
  en: `Too many codes asked for; try again after ${china} China time.`,
});

const gatewayFailed = () =>
  new DomainError('unavailable', 'sms.unavailable', { zh: '短信暂时发送失败，请稍后重试。', en: 'The text message could not be sent just now; try again later.' });

const codeHash = (purpose: CodePurpose, bidx: string, code: string) => sha256Hex(`${purpose}:${bidx}:${code}`);
const smsKeys = (bidx: string, address: string): ThrottleKeys => [
  // one key per number across both purposes, so alternating them does not double the messages
  { key: `sms:phone:${bidx}`, scope: 'sms_phone' },
  { key: `sms:address:${address}`, scope: 'sms_address' },
];

/** Sends a code (or the note saying why there is none) to `phone`; the caller answers the same either way. */
export async function sendPhoneCode(ctx: AppContext, req: FastifyRequest, purpose: CodePurpose, phone: string): Promise<void> {
  const now = ctx.clock.now();
  const bidx = ctx.crypto.blindIndex('phone', phone);
  await admitAttempt(ctx.db, smsKeys(bidx, req.ip), now, smsRefusal);
  const [account] = await ctx.db.query('SELECT 1 FROM applicant_account WHERE phone_bidx = $1', [bidx]);
  const usable = purpose === 'register' ? !account : Boolean(account);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // a new request replaces the number's earlier code, and its count of tries starts afresh
  await ctx.db.query(
    `INSERT INTO phone_code (purpose, phone_bidx, code_hash, attempts, created_at, expires_at) VALUES ($1, $2, $3, 0, $4, $5)
     ON CONFLICT (purpose, phone_bidx) DO UPDATE SET code_hash = EXCLUDED.code_hash, attempts = 0, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
    [purpose, bidx, codeHash(purpose, bidx, usable ? code : randomToken()), now.toISOString(), new Date(now.getTime() + CODE_MINUTES * 60_000).toISOString()],
  );
  try {
    await ctx.sms.send(phone, usable ? MESSAGES[purpose].usable(code) : MESSAGES[purpose].unusable);
  } catch (e) {
    req.log.error({ err: e, to: maskPhone(phone) }, 'SMS send failed');
    throw gatewayFailed();
  }
}

/**
 * Counts one try at the number's live code and says whether `code` is it. The try is committed
 * before the comparison, so a wrong code counts even when the caller's transaction is undone.
 */
export async function checkPhoneCode(ctx: AppContext, purpose: CodePurpose, bidx: string, code: string): Promise<boolean> {
  const [row] = await ctx.db.query(
    'UPDATE phone_code SET attempts = attempts + 1 WHERE purpose = $1 AND phone_bidx = $2 AND expires_at > $3 AND attempts < $4 RETURNING code_hash',
    [purpose, bidx, ctx.clock.now().toISOString(), CODE_ATTEMPTS],
  );
  const given = Buffer.from(codeHash(purpose, bidx, code));
  // compared even without a row, so a number with no live code takes as long as a wrong code
  const expected = Buffer.from(row?.code_hash ?? sha256Hex(randomToken()));
  return timingSafeEqual(given, expected) && Boolean(row);
}

/** Inside the step's transaction: uses the code up (once — a parallel request with the same code finds it gone). */
export async function usePhoneCode(q: Queryable, purpose: CodePurpose, bidx: string, code: string): Promise<boolean> {
  const [used] = await q.query('DELETE FROM phone_code WHERE purpose = $1 AND phone_bidx = $2 AND code_hash = $3 RETURNING 1', [purpose, bidx, codeHash(purpose, bidx, code)]);
  return Boolean(used);
}

/** After the step went through: the number's holder has shown who they are, so their sends stop counting against them. */
export const phoneConfirmed = (ctx: AppContext, req: FastifyRequest, bidx: string) => attemptSucceeded(ctx.db, smsKeys(bidx, req.ip));
