/** The language switch: zh-CN first, English second, the choice kept across visits. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { zh, type MessageKey } from './zh';

export type Lang = 'zh' | 'en';
const STORE = 'tongban.lang';

/**
 * The English catalogue is its own chunk, fetched only by someone who chose English (issue 13 item 5:
 * the login page on a phone loads no second language). Until it has arrived nothing is rendered in
 * English, so t() always has the whole catalogue of the language shown.
 */
const CATALOGUES: Partial<Record<Lang, Record<MessageKey, string>>> = { zh };
let english: Promise<void> | null = null;
const loadEnglish = () =>
  (english ??= import('./en').then((m) => {
    CATALOGUES.en = m.en;
  }));

type I18n = { lang: Lang; setLang: (l: Lang) => void; t: (key: MessageKey, vars?: Record<string, string | number>) => string; pick: (b: { zh: string; en: string } | undefined | null) => string };
const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(STORE) === 'en' ? 'en' : 'zh'));
  const [, catalogueArrived] = useState(0);
  const ready = CATALOGUES[lang] !== undefined;
  useEffect(() => {
    if (!ready) void loadEnglish().then(() => catalogueArrived((n) => n + 1));
  }, [ready]);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORE, l);
    // switched once the catalogue is here, so the page never shows half a language
    void (l === 'en' ? loadEnglish() : Promise.resolve()).then(() => setLangState(l));
  }, []);
  const t = useCallback(
    (key: MessageKey, vars?: Record<string, string | number>) =>
      // a key missing from a catalogue (or English not loaded yet) shows Chinese (or the key), never breaks the page
      ((CATALOGUES[lang] ?? zh)[key] ?? zh[key] ?? String(key)).replace(/\{(\w+)\}/g, (_, k) => String(vars?.[k] ?? '')),
    [lang],
  );
  const pick = useCallback((b: { zh: string; en: string } | undefined | null) => (b ? b[lang] : ''), [lang]);
  if (!ready) return null;
  return <Ctx.Provider value={{ lang, setLang, t, pick }}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** 2026年11月23日 / 23 Nov 2026, from 'YYYY-MM-DD' or an ISO timestamp (shown in China time). */
export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '—';
  const d = value.length === 10 ? new Date(value + 'T00:00:00+08:00') : new Date(value);
  const [y, m, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d).split('-').map(Number);
  return lang === 'zh' ? `${y}年${m}月${day}日` : `${day} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`;
}

export function formatDateTime(value: string, lang: Lang): string {
  const time = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(value));
  return `${formatDate(value, lang)} ${time}`;
}

/** 2026年12月 / Dec 2026, from 'YYYY-MM'. */
export function formatMonth(value: string, lang: Lang): string {
  const [y, m] = value.split('-').map(Number);
  if (!y || !m) return value;
  return lang === 'zh' ? `${y}年${m}月` : `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`;
}
