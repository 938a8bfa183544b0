/** Moved to src/platform/csv.ts: the table reader (src/platform/spreadsheet.ts) shares it. */
export * from '../../platform/csv.js';
