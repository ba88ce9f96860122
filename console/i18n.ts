// The console's language (docs/ARCHITECTURE.md, "Languages" → "Console"): one signal holding the
// translators of the `console` and `events` namespaces, read by every component through t(), so
// switching language re-renders the console. It starts from the rep's pick (localStorage), else
// the browser's languages; English is in the first load, the others come as lazy chunks.
import { computed, signal } from '@preact/signals';
import { createTranslator, type Catalogue, type MessageParams, type Translator } from '../protocol/i18n/translate.ts';
import { DEFAULT_LANGUAGE, isLanguage, negotiate, textDirection, type Language } from '../protocol/i18n/languages.ts';
import consoleEn from '../protocol/i18n/messages/console/en.json';
import eventsEn from '../protocol/i18n/messages/events/en.json';

type Module = Promise<{ default: unknown }>;
// The bundler turns catalogue JSON into compiled functions (build-scripts/i18n-plugin.ts); where
// it didn't (a module loaded by Node in a unit test) a message shows its source.
const asCatalogue = (m: unknown): Catalogue => Object.fromEntries(Object.entries(m as Record<string, unknown>).map(([k, f]) => [k, typeof f === 'function' ? f as Catalogue[string] : () => String(f)]));

const EN = { console: asCatalogue(consoleEn), events: asCatalogue(eventsEn) };
const LOADERS: Record<Exclude<Language, 'en'>, () => [Module, Module]> = {
  de: () => [import('../protocol/i18n/messages/console/de.json'), import('../protocol/i18n/messages/events/de.json')],
  fr: () => [import('../protocol/i18n/messages/console/fr.json'), import('../protocol/i18n/messages/events/fr.json')],
  es: () => [import('../protocol/i18n/messages/console/es.json'), import('../protocol/i18n/messages/events/es.json')],
  ar: () => [import('../protocol/i18n/messages/console/ar.json'), import('../protocol/i18n/messages/events/ar.json')],
};

const STORAGE_KEY = 'bridge.console.lang';
const translators = signal<{ console: Translator; events: Translator }>({
  console: createTranslator(DEFAULT_LANGUAGE, EN.console),
  events: createTranslator(DEFAULT_LANGUAGE, EN.events),
});

/** The console's language (a signal: components reading it re-render when it changes). */
export const language = computed(() => translators.value.console.lang);

/** The console's text for `key`. */
export function t(key: string, params?: MessageParams): string {
  return translators.value.console.t(key, params);
}

/** The `events` translator for transcript lines (protocol/event-text.ts). */
export const eventWords = (): Translator => translators.value.events;

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The rep's pick in this browser, else the browser's languages. */
export function initialLanguage(): Language {
  const chosen = stored();
  return isLanguage(chosen) ? chosen : negotiate(navigator.languages);
}

/** Switches the console to `lang` once its catalogues are loaded (nothing shows half-translated). */
export async function setLanguage(lang: Language, opts: { remember?: boolean } = {}): Promise<void> {
  const cats = lang === 'en' ? EN : await Promise.all(LOADERS[lang]()).then(([c, e]) => ({ console: asCatalogue(c.default), events: asCatalogue(e.default) })).catch(() => null);
  // A chunk that failed to load (network) leaves the console in the language it has.
  if (!cats) return;
  translators.value = {
    console: createTranslator(lang, cats.console, lang === 'en' ? undefined : EN.console),
    events: createTranslator(lang, cats.events, lang === 'en' ? undefined : EN.events),
  };
  document.documentElement.lang = lang;
  document.documentElement.dir = textDirection(lang);
  if (opts.remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch { /* private mode: the pick lasts this page */ }
  }
}
