// t(key, params): the one way UI text is produced (docs/ARCHITECTURE.md "Languages"). Catalogues
// arrive compiled (ICU MessageFormat turned into functions at build time by @messageformat/core,
// so browsers carry only its small runtime); English backs up a key a translation lacks.
import type { Language } from './locales.ts';

export type MessageParams = Record<string, unknown>;
export type MessageFn = (params?: MessageParams) => string;
/** A namespace's messages in one language, compiled: key → function of the parameters. */
export type Catalogue = Record<string, MessageFn>;
export type Translate = (key: string, params?: MessageParams) => string;

export interface Translator {
  lang: Language;
  t: Translate;
}

/**
 * A translator for `lang`. A key missing from `catalogue` comes from `fallback` (English); a key
 * missing from both shows itself, so a gap is visible rather than blank (the catalogue test keeps
 * the shipped ones complete).
 */
export function createTranslator(lang: Language, catalogue: Catalogue, fallback?: Catalogue): Translator {
  const t: Translate = (key, params) => {
    const fn = catalogue[key] ?? fallback?.[key];
    return fn ? fn(params ?? {}) : key;
  };
  return { lang, t };
}
