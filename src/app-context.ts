import type { AuditCheckpoints } from './modules/audit/checkpoints.js';
import type { CalendarService } from './modules/calendar/calendar.js';
import type { DocumentScanner } from './modules/documents/scanner.js';
import type { SmsSender } from './modules/notifications/sms.js';
import type { Config } from './platform/config.js';
import type { Clock } from './platform/clock.js';
import type { FieldCrypto } from './platform/crypto.js';
import type { Db } from './platform/db.js';

/** What every module's service needs; built once in app.ts and passed down explicitly. */
export type AppContext = {
  db: Db;
  crypto: FieldCrypto;
  clock: Clock;
  calendar: CalendarService;
  config: Config;
  /** SEC-2: signed seals of the audit chain heads, kept outside the database. */
  auditCheckpoints: AuditCheckpoints;
  /** Text messages to phones (confirmation codes); the log adapter unless SMS_GATEWAY_URL is set. */
  sms: SmsSender;
  /** The operator's virus scanner for uploads (DOCUMENT_SCANNER); none plugged in = type and size checks only. */
  scanDocument?: DocumentScanner;
};
