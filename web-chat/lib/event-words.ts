// The words of transcript lines (the `events` catalogue) in the chat's language, following the
// page's language signal (docs/ARCHITECTURE.md, "Languages" → "System events"). English is in the
// first load; the others come as lazy chunks when the page switches.
import { computed, effect, signal } from '@preact/signals';
import { createTranslator, type Catalogue, type Translator } from '../../protocol/i18n/translate.ts';
import type { Language } from '../../protocol/i18n/languages.ts';
import enMessages from '../../protocol/i18n/messages/events/en.json';
import { language } from './i18n.ts';

const en = enMessages as unknown as Catalogue;
type CatalogueModule = Promise<{ default: unknown }>;
const LOADERS: Record<Exclude<Language, 'en'>, () => CatalogueModule> = {
  de: () => import('../../protocol/i18n/messages/events/de.json'),
  fr: () => import('../../protocol/i18n/messages/events/fr.json'),
  es: () => import('../../protocol/i18n/messages/events/es.json'),
  ar: () => import('../../protocol/i18n/messages/events/ar.json'),
};

const english = createTranslator('en', en);
const loaded = signal<Translator>(english);

effect(() => {
  const lang = language.value;
  if (lang === 'en') return void (loaded.value = english);
  // Until the chunk is there the lines stay in the language they were in.
  LOADERS[lang]().then((m) => { if (language.value === lang) loaded.value = createTranslator(lang, m.default as Catalogue, en); }).catch(() => {});
});

/** The `events` translator for the chat's language (a signal read: components re-render on a switch). */
export const eventWords = computed(() => loaded.value);
