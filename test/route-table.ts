/**
 * The route table as the authorization matrix and the fuzzer see it: every /api route the service
 * registered (app.routeTable, collected by an onRoute hook), its zod schemas as JSON Schema, a valid
 * sample request for each, and fast-check arbitraries that mix valid values with hostile ones.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RouteEntry } from '../src/app.js';
import type { Harness } from './harness.js';

export type RouteSpec = RouteEntry & { params: any; query: any; body: any; key: string };

const toJson = (s: unknown) => (s && typeof s === 'object' && 'safeParse' in (s as object) ? z.toJSONSchema(s as z.ZodType, { io: 'input', unrepresentable: 'any' }) : s ?? null);

export function routeSpecs(h: Pick<Harness, "app">): RouteSpec[] {
  return h.app.routeTable.map((r) => ({ ...r, key: `${r.method} ${r.url}`, params: toJson(r.schema?.params), query: toJson(r.schema?.querystring), body: toJson(r.schema?.body) }));
}

/** Strings that broke or could break a handler: NUL, prototype keys, SQL and path tricks, impossible dates, huge and odd text. */
export const HOSTILE_STRINGS = [
  '\u0000', 'a\u0000b', '__proto__', 'constructor', 'prototype', "' OR '1'='1' --", '"; DROP TABLE person; --', '../../../../etc/passwd', '%00', '%E0%A4%A',
  '2026-02-30', '2026-13-01', '0000-00-00', '-1', '0', '1e309', 'NaN', 'Infinity', '<script>alert(1)</script>', '${7*7}', '\r\nX-Injected: 1', '\uD800', '🙂',
  '０１２３', '330106199002301234', '33010619900101123X', 'x'.repeat(5000), ' ', '', 'null', '[]', '{}', '00000000-0000-0000-0000-000000000000',
];
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_STRINGS, null, true, false, -1, 0, 2 ** 53, 1e308, -1e308, [], {}, [[[]]], { __proto__: { polluted: true } }, { constructor: { prototype: {} } }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
);

/** A fast-check arbitrary for a JSON Schema; with `hostile`, any leaf may be a hostile value instead. */
export function arbitraryOf(schema: any, hostile: boolean, depth = 0): fc.Arbitrary<unknown> {
  const wrap = (a: fc.Arbitrary<unknown>) => (hostile ? fc.oneof({ weight: 3, arbitrary: a }, { weight: 1, arbitrary: hostileValue }) : a);
  if (!schema || depth > 6) return hostile ? hostileValue : fc.constant(null);
  if (schema.anyOf || schema.oneOf) return fc.oneof(...(schema.anyOf ?? schema.oneOf).map((s: any) => arbitraryOf(s, hostile, depth + 1)));
  if (schema.allOf) return arbitraryOf(Object.assign({}, ...schema.allOf), hostile, depth + 1);
  if (schema.const !== undefined) return wrap(fc.constant(schema.const));
  if (schema.enum) return wrap(fc.constantFrom(...schema.enum));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return wrap(fc.uuid());
      if (schema.pattern) return wrap(fc.stringMatching(new RegExp(schema.pattern)).filter((s) => (schema.maxLength ? s.length <= schema.maxLength : true) && s.length >= (schema.minLength ?? 0)));
      return wrap(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 200), unit: 'grapheme' }));
    }
    case 'integer':
      return wrap(fc.integer({ min: Math.max(schema.minimum ?? -1e6, -1e9), max: Math.min(schema.maximum ?? 1e6, 1e9) }));
    case 'number':
      return wrap(fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }));
    case 'boolean':
      return wrap(fc.boolean());
    case 'array':
      return wrap(fc.array(arbitraryOf(schema.items, hostile, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) }));
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const record = fc.record(Object.fromEntries(props.map(([k, s]) => [k, arbitraryOf(s, hostile, depth + 1)])), { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k) || !hostile) });
      return wrap(record);
    }
    default:
      return hostile ? hostileValue : fc.constant(null);
  }
}

/** A valid sample of a JSON Schema: the first enum value, the smallest number, a string that fits. */
export function sampleOf(schema: any): unknown {
  if (!schema) return undefined;
  if (schema.default !== undefined) return schema.default;
  if (schema.anyOf || schema.oneOf) return sampleOf((schema.anyOf ?? schema.oneOf)[0]);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.pattern) return fc.sample(fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= (schema.minLength ?? 0) && (!schema.maxLength || s.length <= schema.maxLength)), { numRuns: 1, seed: 1 })[0];
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 4));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items));
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k: string) => [k, sampleOf(schema.properties?.[k])]));
    default:
      return undefined;
  }
}

/** Percent-encodes any string, lone surrogates included (as U+FFFD, the way a browser sends them). */
const encode = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
};

/** Fills `:param`s of a route URL. */
export const fillUrl = (url: string, params: Record<string, unknown>) =>
  url.replace(/:(\w+)/g, (_, name) => encode(params[name] ?? 'x')).replace(/\*$/, '');

export const queryString = (query: Record<string, unknown> | undefined) => {
  if (!query || typeof query !== 'object') return '';
  const parts = Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => `${encode(k)}=${encode(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
};

/** A client address of its own per request, so login attempts made by the matrix or fuzzer never hold back other tests' logins. */
export const someAddress = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

/**
 * What a database looks like from outside: the row count of every table and the sum of every
 * version column. A refused request must leave it unchanged (no partial writes). Login counters
 * and challenges are left out: counting a refused attempt is their purpose.
 */
export async function footprintQuery(h: Pick<Harness, "db">): Promise<string> {
  const cols = await h.db.query(
    `SELECT t.table_name, bool_or(c.column_name = 'version') AS versioned FROM information_schema.tables t
     JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
     WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND t.table_name NOT IN ('schema_migration', 'login_throttle', 'login_challenge')
     GROUP BY t.table_name ORDER BY t.table_name`,
  );
  return `SELECT ${cols.map((c) => `(SELECT ${c.versioned ? `count(*)::text || '/' || coalesce(sum(version), 0)::text` : 'count(*)::text'} FROM "${c.table_name}") AS "${c.table_name}"`).join(', ')}`;
}
