/** zod pieces every module's routes share. */
import { z } from 'zod';

/** A calendar date that exists (zod's ISO date checks month lengths and leap years): 2026-02-30 is refused with 422, not sent to the database. */
export const isoDate = z.iso.date({ error: 'a real date as YYYY-MM-DD / 日期须为真实存在的日期，格式 YYYY-MM-DD' });
