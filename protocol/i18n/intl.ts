// Dates, times, sizes and lists through Intl (docs/ARCHITECTURE.md, "Languages" → "Times, sizes
// and user text"): one place, so the chat, the console and the exports read the same for the
// same language. Formatters are cached per language and options: building one costs more than
// formatting.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

/** Binary steps as before (1 KB = 1024 B), named with Intl's units: 812 B, 4.2 kB, 15 kB, 3.1 MB, 1.5 GB. */
export function formatBytes(n: number, lang = 'en'): string {
  const [value, unit, digits] =
    n < 1024 ? [n, 'byte', 0] : n < 1024 ** 2 ? [n / 1024, 'kilobyte', n < 10240 ? 1 : 0] : n < 1024 ** 3 ? [n / 1024 ** 2, 'megabyte', 1] : [n / 1024 ** 3, 'gigabyte', 1];
  const f = cached(`b|${lang}|${unit}|${digits}`, () => new Intl.NumberFormat(lang, { style: 'unit', unit: unit as string, unitDisplay: 'short', minimumFractionDigits: digits as number, maximumFractionDigits: digits as number }));
  return f.format(value as number);
}

/** "Ana", "Ana and Ben", "Ana, Ben and Cy" in the language's words. */
export function formatList(items: readonly string[], lang = 'en'): string {
  return cached(`l|${lang}`, () => new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' })).format(items);
}

export interface TimeOptions {
  /** An IANA zone; absent: the reader's own (the browser's). */
  timeZone?: string;
  /** Name the zone after the time ("14:03:12 GMT+1"), where the reader's zone can differ. */
  showZone?: boolean;
  /** The date too. */
  date?: boolean;
}

function dateTimeFormat(lang: string, o: TimeOptions): Intl.DateTimeFormat {
  return cached(`d|${lang}|${o.timeZone ?? ''}|${o.showZone ? 1 : 0}|${o.date ? 1 : 0}`, () => new Intl.DateTimeFormat(lang, {
    ...(o.date ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    hour: '2-digit', minute: '2-digit', second: '2-digit',
    ...(o.showZone ? { timeZoneName: 'short' } : {}),
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
  }));
}

/** A clock time (with seconds) in the language's style. */
export function formatTime(ms: number, lang = 'en', o: TimeOptions = {}): string {
  return dateTimeFormat(lang, o).format(ms);
}

/** A date and time. */
export function formatDateTime(ms: number, lang = 'en', o: TimeOptions = {}): string {
  return dateTimeFormat(lang, { ...o, date: true }).format(ms);
}

/** A zone the runtime knows, else undefined (a browser may report anything). */
export function knownZone(zone: string | null | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** The reader's own zone (IANA name). */
export const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** First strong isolate … pop directional isolate: user text keeps its own direction inside a
 *  sentence in plain text (names and messages in right-to-left text and the other way round). */
export const isolate = (s: string): string => `\u2068${s}\u2069`;

const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/** User text isolated where it changes the display: the text has right-to-left letters, or it stands
 *  in right-to-left words. Left-to-right text in a left-to-right line reads the same without, so
 *  exports stay as typed for the common case (and for a grep). */
export function isolateIfNeeded(s: string, rtlContext: boolean): string {
  return s !== '' && (rtlContext || RTL_CHAR.test(s)) ? isolate(s) : s;
}
