/**
 * The data steps of migrations (see migrate.ts): work on existing rows that needs the service's
 * keys. Each runs once, inside its migration's transaction; on a new database it finds no rows.
 */
import { certificateNumberColumns } from '../modules/certificates/certificate-numbers.js';
import type { DataStep } from './migrate.js';

export const dataSteps: Record<string, DataStep> = {
  // 0034: clear-text certificate numbers become a blind index and a masked form (SEC-1)
  'certificate-numbers': async (q, crypto) => {
    const rows = await q.query<{ id: string; number: string }>('SELECT id, number FROM certificate WHERE number_bidx IS NULL');
    for (const r of rows) {
      const c = certificateNumberColumns(crypto, r.number);
      await q.query('UPDATE certificate SET number_bidx = $2, number_masked = $3 WHERE id = $1', [r.id, c.bidx, c.masked]);
    }
  },
};
