/**
 * The service's notion of "now". Dates of record (due dates, validity, publicity) are China
 * Standard Time calendar dates, whatever time zone the server runs in. Tests and the SLA sweep
 * can move a settable clock instead of waiting for real days to pass.
 */
export interface Clock {
  now(): Date;
  today(): string;
}

const CST_OFFSET_MS = 8 * 3600 * 1000;
export const chinaDate = (d: Date) => new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);

export const systemClock: Clock = { now: () => new Date(), today: () => chinaDate(new Date()) };

export class SettableClock implements Clock {
  private offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
  today() {
    return chinaDate(this.now());
  }
  /** Moves "today" to the given China date (keeping the time of day). */
  setToday(date: string) {
    const target = new Date(date + 'T04:00:00Z').getTime(); // 12:00 in China
    this.offsetMs = target - Date.now();
  }
  /** Moves the clock on by `ms` (a code's 10 minutes, without waiting for them). */
  advance(ms: number) {
    this.offsetMs += ms;
  }
  reset() {
    this.offsetMs = 0;
  }
}
