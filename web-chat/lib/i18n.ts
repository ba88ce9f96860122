// The customer pages' language (docs/ARCHITECTURE.md "Languages"): one translator signal that
// every component reads through t(), so switching language re-renders the page. Each language's
// catalogue is a lazy chunk (English filled in for any key it lacks, at build time), so a page
// loads exactly one.
import { computed, signal } from '@preact/signals';
import { createTranslator, type Catalogue, type MessageParams } from '../../protocol/i18n/translate.ts';
import { DEFAULT_LANGUAGE, isLanguage, negotiate, textDirection, type Language } from '../../protocol/i18n/languages.ts';
import { tabStorage } from './storage.ts';

// The bundler turns catalogue JSON into compiled functions (build-scripts/i18n-plugin.ts).
type CatalogueModule = Promise<{ default: unknown }>;
const LOADERS: Record<Language, () => CatalogueModule> = {
  en: () => import('../../protocol/i18n/messages/customer/en.json'),
  de: () => import('../../protocol/i18n/messages/customer/de.json'),
  fr: () => import('../../protocol/i18n/messages/customer/fr.json'),
  es: () => import('../../protocol/i18n/messages/customer/es.json'),
  ar: () => import('../../protocol/i18n/messages/customer/ar.json'),
};

const STORAGE_KEY = 'bridge.lang';
// Until the first catalogue arrives (start-up awaits it) keys would show as themselves.
const translator = signal(createTranslator(DEFAULT_LANGUAGE, {}));

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
  return (await LOADERS[lang]()).default as Catalogue;
}

/** Switch the page to `lang` (loads its catalogue first, so nothing shows half-translated). */
export async function setLanguage(lang: Language, opts: { remember?: boolean } = {}): Promise<void> {
  const cat = await catalogue(lang).catch(() => null);
  // A chunk that failed to load (network) leaves the page in the language it has.
  if (!cat) return;
  translator.value = createTranslator(lang, cat);
  document.documentElement.lang = lang;
  document.documentElement.dir = textDirection(lang);
  if (opts.remember !== false) tabStorage.setItem(STORAGE_KEY, lang);
}
