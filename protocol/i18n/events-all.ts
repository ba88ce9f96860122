// Every language's `events` catalogue, for readers that render for anyone (the server's transcripts
// and exports, the console). The customer chat takes only its own language.
import ar from './messages/events/ar.json';
import de from './messages/events/de.json';
import en from './messages/events/en.json';
import es from './messages/events/es.json';
import fr from './messages/events/fr.json';
import { englishEvents, eventsTranslatorFor, type Translate } from './events.ts';

const CATALOGUES: Record<string, Record<string, string>> = { ar, de, en, es, fr };
export const EVENT_LANGUAGES = Object.keys(CATALOGUES);

const translators = new Map<string, Translate>([['en', englishEvents]]);

/** The translator for a language the catalogue has (else English). */
export function eventsTranslator(lang: string): Translate {
  const l = lang in CATALOGUES ? lang : 'en';
  let t = translators.get(l);
  if (!t) translators.set(l, (t = eventsTranslatorFor(l, CATALOGUES[l]!)));
  return t;
}
