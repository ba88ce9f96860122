// The languages Bridge ships and how one is chosen (docs/ARCHITECTURE.md "Languages"). No
// valibot here: the portal's first load imports this, and the schema lives in locales.ts.

export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's name in itself, for pickers (a reader finds their own language without knowing ours). */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', ar: 'العربية',
};

const RTL = new Set<Language>(['ar']);

export function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

export function textDirection(lang: Language): 'ltr' | 'rtl' {
  return RTL.has(lang) ? 'rtl' : 'ltr';
}

/**
 * The best supported language for an Accept-Language header ("de-CH,de;q=0.9,en;q=0.5") or a
 * list of tags in preference order (navigator.languages). Region subtags match their language;
 * q=0 means "not this"; nothing supported gives English.
 */
export function negotiate(accept: string | readonly string[] | null | undefined): Language {
  const ranked = typeof accept === 'string' ? parseAcceptLanguage(accept) : (accept ?? []).map((tag) => ({ tag, q: 1 }));
  for (const { tag, q } of ranked) {
    if (q <= 0) continue;
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

function parseAcceptLanguage(header: string): { tag: string; q: number }[] {
  return header.slice(0, 1000).split(',').map((part, i) => {
    const [tag, ...params] = part.split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
  }).filter((x) => x.tag && x.tag !== '*')
    // Stable: equal weights keep the header's order.
    .sort((a, b) => b.q - a.q || a.i - b.i);
}
