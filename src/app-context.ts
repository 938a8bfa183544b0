import type { CalendarService } from './modules/calendar/calendar.js';
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
};
