/**
 * Applicant accounts for tests, made the way the portal makes them: a code texted to the phone
 * (read from the log SMS adapter, as the phone's holder would read the message), then the account.
 * No node:test import here, so the soak (bench/soak.ts) can use it outside a test run.
 */
import type { AppContext } from '../src/app-context.js';
import { LogSmsSender } from '../src/modules/notifications/sms.js';

type App = { inject: (opts: any) => Promise<{ statusCode: number; body: string; headers: Record<string, any> }> };

/** A mobile number nobody in this run has used yet (random, as the tests share one database). */
export const freshPhone = (prefix = '139') => `${prefix}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** The 6-digit code in the newest text message sent to `phone`, or null when that message carries none. */
export function smsCode(ctx: Pick<AppContext, 'sms'>, phone: string): string | null {
  if (!(ctx.sms instanceof LogSmsSender)) throw new Error('tests read codes from the log SMS adapter; unset SMS_GATEWAY_URL');
  const sent = ctx.sms.last(phone);
  if (!sent) throw new Error(`no text message was sent to ${phone}`);
  return sent.text.match(/验证码 (\d{6})/)?.[1] ?? null;
}

/** Registers an applicant (code step, then the account) and answers their session cookie and id. */
export async function registerApplicant(
  h: { app: App; ctx: Pick<AppContext, 'sms'> },
  opts: { phone?: string; password?: string; name?: string; client?: string } = {},
): Promise<{ cookie: string; id: string; phone: string }> {
  const phone = opts.phone ?? freshPhone();
  const headers = { 'x-tongban-client': opts.client ?? 'test' };
  const asked = await h.app.inject({ method: 'POST', url: '/api/applicant/register/code', payload: { phone }, headers });
  if (asked.statusCode !== 202) throw new Error(`register/code ${phone}: ${asked.statusCode} ${asked.body}`);
  const code = smsCode(h.ctx, phone);
  if (!code) throw new Error(`${phone} is registered already: the message carries no code`);
  const reg = await h.app.inject({ method: 'POST', url: '/api/applicant/register', payload: { phone, code, password: opts.password ?? 'Secret123', name: opts.name ?? '申请人' }, headers });
  if (reg.statusCode !== 201) throw new Error(`register ${phone}: ${reg.statusCode} ${reg.body}`);
  const cookie = [reg.headers['set-cookie']].flat().find((c) => String(c).startsWith('tb_session='))!.split(';')[0];
  return { cookie, id: JSON.parse(reg.body).applicant.id, phone };
}
