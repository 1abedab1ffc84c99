import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { en } from './en';
import { fill } from './format';
import { ko, type MessageKey } from './ko';

export type Lang = 'ko' | 'en';
export const CATALOGS: Record<Lang, Record<MessageKey, string>> = { ko, en };
export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  return fill(CATALOGS[lang][key] ?? key, vars);
}

/** A key built from data (alert type, mode…); falls back to the raw value when the catalog lacks it. */
export function dynamicKey(prefix: string, value: string): MessageKey {
  return `${prefix}.${value}` as MessageKey;
}

const I18nContext = createContext<{ lang: Lang; t: Translate }>({ lang: 'ko', t: (k, v) => translate('ko', k, v) });

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
  const value = useMemo(() => ({ lang, t }), [lang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): { lang: Lang; t: Translate } {
  return useContext(I18nContext);
}
