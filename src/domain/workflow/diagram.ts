/** Draws a matter's definition as a Mermaid state diagram, for the docs and the UI. Pure. */
import { sidesOf, sideName } from './engine.js';
import type { MatterDef } from './types.js';

export function mermaidDiagram(m: MatterDef, lang: 'zh' | 'en' = 'zh'): string {
  const lines = ['stateDiagram-v2', `  %% ${m.label[lang]} (${m.code}) — generated from src/domain/workflow/matters/${m.code}.ts`];
  for (const [code, st] of Object.entries(m.states)) {
    const clock = st.clock ? ` ⏱ ${st.clock}` : '';
    lines.push(`  ${code}: ${st.label[lang]}${clock}`);
  }
  lines.push(`  [*] --> ${m.initial}`);
  for (const [code, a] of Object.entries(m.actions)) {
    const targets = typeof a.to === 'string' ? [a.to] : a.targets ?? [];
    const who = sidesOf(a).map((s) => sideName(s)[lang]).join('/') + ' · ' + a.roles.join(',');
    for (const from of a.from) for (const to of targets) lines.push(`  ${from} --> ${to}: ${a.label[lang]} (${code}) [${who}]`);
  }
  for (const [code, st] of Object.entries(m.states)) if (st.final) lines.push(`  ${code} --> [*]`);
  return lines.join('\n') + '\n';
}
