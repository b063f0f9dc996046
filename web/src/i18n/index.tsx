/**
 * Language of the app: Vietnamese by default, English on request (remembered in localStorage and
 * reflected in <html lang>). `useT()` gives the translate function of the current language.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.js';
import { vi, type Catalogue, type MessageKey } from './vi.js';

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
const CATALOGUES: Record<Lang, Catalogue> = { vi, en };
const STORAGE_KEY = 'motcua.lang';

/** Keys that have plural forms: `base.one` / `base.other`. */
export type PluralKey = { [K in MessageKey]: K extends `${infer B}.other` ? B : never }[MessageKey];
export type Params = Record<string, string | number>;

export interface Translate {
  (key: MessageKey, params?: Params): string;
  /** The plural form for `count` (also available as {count}, formatted for the language). */
  plural(key: PluralKey, count: number, params?: Params): string;
  /** A number written the way the language writes it (1.000 in Vietnamese, 1,000 in English). */
  number(n: number): string;
  /** Amount in đồng, e.g. "8.000 đồng" / "8,000 VND". */
  money(amount: number): string;
  /** Date and time in Vietnam time. */
  dateTime(iso: string): string;
  lang: Lang;
  /** BCP 47 locale for Intl. */
  locale: string;
}

export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function makeTranslate(lang: Lang): Translate {
  const cat = CATALOGUES[lang];
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pluralRules = new Intl.PluralRules(locale);
  const dateFormat = new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  });
  const t = ((key: MessageKey, params?: Params) => interpolate(cat[key], params)) as Translate;
  t.number = (n) => numberFormat.format(n);
  t.plural = (key, count, params) => {
    const form = pluralRules.select(count) === 'one' ? 'one' : 'other';
    const k = `${key}.${form}` as MessageKey;
    return interpolate(cat[k] ?? cat[`${key}.other` as MessageKey], { ...params, count: t.number(count) });
  };
  t.money = (amount) => interpolate(cat['fee.amount'], { amount: t.number(amount) });
  t.dateTime = (iso) => dateFormat.format(new Date(iso));
  t.lang = lang;
  t.locale = locale;
  return t;
}

function initialLang(): Lang {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // Storage may be disabled (private mode): Vietnamese.
  }
  return 'vi';
}

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}
const LangContext = createContext<LangState>({ lang: 'vi', setLang: () => {} });

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered; still switched for this visit.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

const cache = new Map<Lang, Translate>();
export function useT(): Translate {
  const { lang } = useContext(LangContext);
  let t = cache.get(lang);
  if (!t) {
    t = makeTranslate(lang);
    cache.set(lang, t);
  }
  return t;
}

/**
 * Text from the catalog data that exists in Vietnamese and maybe English: the English text when
 * the app is in English and one exists, else the Vietnamese with lang="vi" for screen readers.
 */
export function pick(t: Translate, vi: string, en: string | null | undefined): { text: string; lang: Lang | undefined } {
  if (t.lang === 'en' && en && en.trim() !== '') return { text: en, lang: undefined };
  return { text: vi, lang: t.lang === 'vi' ? undefined : 'vi' };
}
