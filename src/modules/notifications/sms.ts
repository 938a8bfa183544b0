/**
 * The SMS channel (issue 10 item 10, issue 15 item 4): one small adapter interface, so the codes that
 * confirm a phone number can go out through whatever gateway the operator has, and so the later
 * notification outbox can reuse the same senders.
 *
 * - `LogSmsSender` (the default, for demos and tests): writes each message to the log with the phone
 *   number masked, and keeps the last messages in memory, where tests read the code they were sent.
 * - `HttpSmsSender` (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN): POSTs `{ phone, text }` as JSON to a
 *   typical HTTP gateway with a bearer token; any answer other than 2xx is a failure.
 */
import pino from 'pino';

export interface SmsSender {
  /** Sends one text message; rejects when it could not be handed to the gateway. */
  send(phone: string, text: string): Promise<void>;
}

/** 138****5678: enough to tell numbers apart in a log, not enough to contact anyone (SEC-1). */
export const maskPhone = (phone: string) => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');

export type SentSms = { phone: string; text: string; at: Date };
type LogSink = { info(obj: object, msg: string): void };

export class LogSmsSender implements SmsSender {
  /** The newest messages last; never more than `keep` of them. */
  readonly sent: SentSms[] = [];
  constructor(private readonly log: LogSink, private readonly keep = 200) {}

  async send(phone: string, text: string) {
    this.sent.push({ phone, text, at: new Date() });
    if (this.sent.length > this.keep) this.sent.splice(0, this.sent.length - this.keep);
    // the text may carry a code: that is what this adapter is for (no gateway configured); the number never appears whole
    this.log.info({ sms: { to: maskPhone(phone), text } }, 'SMS (log adapter: no SMS_GATEWAY_URL configured)');
  }

  /** The newest message sent to `phone`, if any. */
  last(phone: string): SentSms | undefined {
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i].phone === phone) return this.sent[i];
    return undefined;
  }
}

export class SmsGatewayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmsGatewayError';
  }
}

export class HttpSmsSender implements SmsSender {
  constructor(private readonly url: string, private readonly token: string | undefined, private readonly timeoutMs = 10_000) {}

  async send(phone: string, text: string) {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify({ phone, text }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      // the message names the masked number only: errors end up in logs
      throw new SmsGatewayError(`SMS gateway unreachable for ${maskPhone(phone)}: ${(e as Error).message}`);
    }
    await res.arrayBuffer().catch(() => undefined); // drain, so the connection can be reused
    if (!res.ok) throw new SmsGatewayError(`SMS gateway answered ${res.status} for ${maskPhone(phone)}`);
  }
}

/** The sender the configuration asks for: the HTTP gateway when SMS_GATEWAY_URL is set, else the log. */
export function smsSenderFor(config: { smsGatewayUrl?: string; smsGatewayToken?: string; logLevel: string }): SmsSender {
  if (config.smsGatewayUrl) return new HttpSmsSender(config.smsGatewayUrl, config.smsGatewayToken);
  return new LogSmsSender(pino({ name: 'sms', level: config.logLevel }));
}
