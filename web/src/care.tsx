/**
 * ACC-1 care mode (关怀模式) for elderly and low-vision users, for staff and applicants alike.
 *
 * What it sets, and where the numbers come from:
 * - body text ≥ 18 px and headings ≥ 30 px (SPEC ACC-1; MIIT《互联网网站适老化通用设计规范》(2021) asks
 *   for large, adjustable type on the elder-friendly version; GB/T 37668-2019 §5 for legible text);
 * - line spacing ≥ 1.3 within a paragraph (MIIT 2021: "段落内文字的行距至少为1.3倍"), 1.6 here;
 * - touch targets ≥ 44 px on the staff console (WCAG 2.5.5, GB/T 37668-2019) and 60 px on the
 *   applicant portal, which elderly and disabled people use themselves, often on a phone;
 * - high contrast: black text on white, darker borders and links (≥ 7:1, WCAG 1.4.6 AAA);
 * - no motion: no transitions or animations at all.
 * Kept per user in this browser (localStorage, keyed by the account; the login page's own choice
 * before that), one click away in the top bar of every page.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useMe } from './session';

const STORE = 'tongban.care';
type Care = { care: boolean; setCare: (on: boolean) => void };
const Ctx = createContext<Care>({ care: false, setCare: () => {} });

export function CareProvider({ children }: { children: ReactNode }) {
  // per user: on a shared desk PC one clerk's care mode is not the next one's; before login (and for
  // a user who never chose) the choice made on the login page applies
  const me = useMe();
  const own = me.data ? `${STORE}.${me.data.kind}:${me.data.id}` : null;
  const read = useCallback(() => (own && localStorage.getItem(own)) ?? localStorage.getItem(STORE), [own]);
  const [care, setState] = useState(() => read() === '1');
  useEffect(() => setState(read() === '1'), [read]);
  useEffect(() => {
    document.documentElement.classList.toggle('care', care);
  }, [care]);
  const setCare = useCallback(
    (on: boolean) => {
      localStorage.setItem(own ?? STORE, on ? '1' : '0');
      setState(on);
    },
    [own],
  );
  return <Ctx.Provider value={{ care, setCare }}>{children}</Ctx.Provider>;
}

export const useCare = () => useContext(Ctx);

/** antd tokens for care mode; `portal`: the applicant's larger touch targets (60 px). */
export function careTokens(portal: boolean) {
  const target = portal ? 60 : 44;
  return {
    fontSize: 18,
    fontSizeLG: 20,
    fontSizeSM: 18,
    fontSizeHeading1: 34,
    fontSizeHeading2: 30,
    fontSizeHeading3: 30,
    fontSizeHeading4: 30,
    fontSizeHeading5: 30,
    lineHeight: 1.6,
    controlHeight: target,
    controlHeightLG: target,
    controlHeightSM: target,
    colorText: '#000000',
    colorTextSecondary: '#1f1f1f',
    colorTextDescription: '#262626',
    colorTextTertiary: '#262626',
    colorTextPlaceholder: '#404040',
    colorBorder: '#595959',
    colorBorderSecondary: '#8c8c8c',
    colorPrimary: '#003eb3',
    colorLink: '#003eb3',
    colorError: '#a8071a',
    colorWarning: '#873800',
    colorSuccess: '#135200',
  };
}
