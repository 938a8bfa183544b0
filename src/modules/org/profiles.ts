/** SLA-4: profiles are rows; each province points to one. */
import { profileSettingsSchema, SEED_PROFILES, type PolicyProfile } from '../../domain/profiles.js';
import type { Queryable } from '../../platform/db.js';

export async function getProfile(q: Queryable, code: string): Promise<PolicyProfile> {
  const [r] = await q.query('SELECT * FROM policy_profile WHERE code = $1', [code]);
  if (!r) throw new Error(`policy profile ${code} missing`);
  return { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, settings: profileSettingsSchema.parse(r.settings) };
}

export async function provinceProfileCode(q: Queryable, provinceCode: string): Promise<string | undefined> {
  const [r] = await q.query('SELECT profile_code FROM province_profile WHERE province_code = $1', [provinceCode]);
  return r?.profile_code;
}

export async function listProfiles(q: Queryable) {
  const rows = await q.query('SELECT p.*, coalesce(array_agg(pp.province_code ORDER BY pp.province_code) FILTER (WHERE pp.province_code IS NOT NULL), \'{}\') AS provinces FROM policy_profile p LEFT JOIN province_profile pp ON pp.profile_code = p.code GROUP BY p.code ORDER BY p.code');
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, settings: r.settings, provinces: r.provinces }));
}

export async function seedProfiles(q: Queryable) {
  for (const p of SEED_PROFILES) {
    await q.query(
      'INSERT INTO policy_profile (code, name_zh, name_en, settings) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING',
      [p.code, p.nameZh, p.nameEn, JSON.stringify(p.settings)],
    );
  }
}

/** Every province follows the national profile unless pointed elsewhere (Zhejiang → zhejiang). */
export async function assignProvinceProfiles(q: Queryable, overrides: Record<string, string>) {
  await q.query(
    `INSERT INTO province_profile (province_code, profile_code)
     SELECT code, 'national' FROM division WHERE level = 1 ON CONFLICT (province_code) DO NOTHING`,
  );
  for (const [province, profile] of Object.entries(overrides)) {
    await q.query('UPDATE province_profile SET profile_code = $2 WHERE province_code = $1', [province, profile]);
  }
}
