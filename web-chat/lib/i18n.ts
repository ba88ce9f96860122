// The customer pages' language (docs/ARCHITECTURE.md "Languages"): one translator signal that
// every component reads through t(), so switching language re-renders the page. English is in
// the first load (it is every other catalogue's fallback); the others come as lazy chunks.
import { computed, signal } from '@preact/signals';
import { createTranslator, type Catalogue, type MessageParams } from '../../protocol/i18n/translate.ts';
import { DEFAULT_LANGUAGE, isLanguage, negotiate, textDirection, type Language } from '../../protocol/i18n/locales.ts';
import enMessages from '../../protocol/i18n/messages/customer/en.json';
import { tabStorage } from './storage.ts';

// The bundler turns catalogue JSON into compiled functions (build-scripts/i18n-plugin.ts).
const en = enMessages as unknown as Catalogue;
type CatalogueModule = Promise<{ default: unknown }>;
const LOADERS: Record<Exclude<Language, 'en'>, () => CatalogueModule> = {
  de: () => import('../../protocol/i18n/messages/customer/de.json'),
  fr: () => import('../../protocol/i18n/messages/customer/fr.json'),
  es: () => import('../../protocol/i18n/messages/customer/es.json'),
  ar: () => import('../../protocol/i18n/messages/customer/ar.json'),
};

const STORAGE_KEY = 'bridge.lang';
const translator = signal(createTranslator(DEFAULT_LANGUAGE, en));

/** The page's language (a signal: components reading it re-render when it changes). */
export const language = computed(() => translator.value.lang);

/** The text for `key` in the page's language. */
export function t(key: string, params?: MessageParams): string {
  return translator.value.t(key, params);
}

/**
 * The language to start with: the one chosen in this tab, else the one the server negotiated
 * from Accept-Language (it writes it into <html lang>), else the browser's list.
 */
export function initialLanguage(): Language {
  const chosen = tabStorage.getItem(STORAGE_KEY);
  if (isLanguage(chosen)) return chosen;
  const served = document.documentElement.lang;
  if (isLanguage(served)) return served;
  return negotiate(navigator.languages);
}

async function catalogue(lang: Language): Promise<Catalogue> {
  if (lang === 'en') return en;
  return (await LOADERS[lang]()).default as Catalogue;
}

/** Switch the page to `lang` (loads its catalogue first, so nothing shows half-translated). */
export async function setLanguage(lang: Language, opts: { remember?: boolean } = {}): Promise<void> {
  const cat = await catalogue(lang).catch(() => null);
  // A chunk that failed to load (network) leaves the page in the language it has.
  if (!cat) return;
  translator.value = createTranslator(lang, cat, lang === 'en' ? undefined : en);
  document.documentElement.lang = lang;
  document.documentElement.dir = textDirection(lang);
  if (opts.remember !== false) tabStorage.setItem(STORAGE_KEY, lang);
}
