import { invalid } from '../errors.js';
import { NEW_MATTER } from './matters/new.js';
import type { MatterDef } from './types.js';

/** Every matter the engine runs. The remaining five matters register here as they are built. */
export const MATTERS: Record<string, MatterDef> = { new: NEW_MATTER };

export function matterDef(code: string): MatterDef {
  const m = MATTERS[code];
  if (!m) {
    throw invalid(
      'matter.unknown',
      `没有“${code}”这一事项。可选：${Object.keys(MATTERS).join('、')}。`,
      `There is no matter "${code}". Choose one of: ${Object.keys(MATTERS).join(', ')}.`,
      'matter',
    );
  }
  return m;
}
