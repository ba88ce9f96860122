// The `events` catalogue's translator: how every reader words transcript lines (docs/ARCHITECTURE.md,
// "Languages" → "System events"). English is imported here (every reader needs it as the fallback);
// protocol/i18n/events-all.ts adds the other languages for the server and the console.
import { IntlMessageFormat } from 'intl-messageformat';
import en from './messages/events/en.json';

export type Params = Record<string, string | number>;
/** `t(key, params)` for one language and one namespace. */
export type Translate = ((key: string, params?: Params) => string) & { lang: string };

export type Catalogue = Record<string, string>;

/** A translator over `catalogue`, falling back to `fallback` for a key it lacks, then to the key. */
export function eventsTranslatorFor(lang: string, catalogue: Catalogue, fallback: Catalogue = en): Translate {
  const compiled = new Map<string, IntlMessageFormat>();
  const t = (key: string, params?: Params): string => {
    let f = compiled.get(key);
    if (!f) {
      const [source, l] = key in catalogue ? [catalogue[key]!, lang] : key in fallback ? [fallback[key]!, 'en'] : [undefined, lang];
      if (source === undefined) return key;
      compiled.set(key, (f = new IntlMessageFormat(source, l)));
    }
    return String(f.format(params));
  };
  return Object.assign(t, { lang });
}

export const englishEvents: Translate = eventsTranslatorFor('en', en);
