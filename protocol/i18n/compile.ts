// Compiling ICU MessageFormat catalogues (Node only: the server's pages, the build, tests). The
// browser bundles get the same output as modules from build-scripts/i18n-plugin.ts, so they never
// carry the compiler.
import MessageFormat from '@messageformat/core';
import compileModule from '@messageformat/core/lib/compile-module.js';
// The parser @messageformat/core itself uses, for reading a message's parameter names.
import { parse, type Token } from '@messageformat/parser';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './locales.ts';
import { createTranslator, type Catalogue, type MessageFn, type Translator } from './translate.ts';

export type Messages = Record<string, string>;
export const NAMESPACES = ['customer', 'console', 'events'] as const;
export type Namespace = (typeof NAMESPACES)[number];

const MESSAGES_DIR = fileURLToPath(new URL('./messages/', import.meta.url));

export function cataloguePath(ns: string, lang: string): string {
  return `${MESSAGES_DIR}${ns}/${lang}.json`;
}

/** The raw messages of one namespace and language ({} when the file doesn't exist yet). */
export function readMessages(ns: string, lang: string): Messages {
  try {
    return JSON.parse(readFileSync(cataloguePath(ns, lang), 'utf8')) as Messages;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
}

// strict: ICU's own rules (`#` only directly in a plural, no custom formatters), so a catalogue
// means the same to translators' tools. Bidi marks stay off: the pages isolate user text
// themselves (docs/ARCHITECTURE.md "Keyboards and screen readers").
function formatter(lang: string): MessageFormat {
  return new MessageFormat(lang, { strict: true });
}

/** Compile every message (throws on an ICU syntax error, naming the key). */
export function compileMessages(lang: string, messages: Messages): Catalogue {
  const mf = formatter(lang);
  const out: Catalogue = {};
  for (const [key, src] of Object.entries(messages)) {
    try {
      out[key] = mf.compile(src) as MessageFn;
    } catch (e) {
      throw new Error(`${lang} "${key}": ${(e as Error).message}`);
    }
  }
  return out;
}

/**
 * JS module source (default export: the compiled catalogue) for a browser bundle. A key the
 * language lacks is filled in from English here, so a page needs only its one catalogue.
 */
/**
 * Keys only the server renders (server/http/chat-page.ts, download-page.ts): left out of the
 * browser's modules, so the chat page doesn't download them (docs/ARCHITECTURE.md "Web chat" → "Size").
 */
export const SERVER_ONLY_KEYS: Partial<Record<string, RegExp>> = { customer: /^(dl|page)\./ };

export function catalogueModule(ns: string, lang: string): string {
  const all = lang === DEFAULT_LANGUAGE ? readMessages(ns, lang) : { ...readMessages(ns, DEFAULT_LANGUAGE), ...readMessages(ns, lang) };
  const serverOnly = SERVER_ONLY_KEYS[ns];
  const messages = serverOnly ? Object.fromEntries(Object.entries(all).filter(([k]) => !serverOnly.test(k))) : all;
  return compileModule(formatter(lang), messages);
}

const cache = new Map<string, Translator>();

/** A server-side translator for a namespace (compiled once per process and language). */
export function serverTranslator(ns: Namespace, lang: Language): Translator {
  const id = `${ns}/${lang}`;
  let tr = cache.get(id);
  if (!tr) {
    const fallback = lang === DEFAULT_LANGUAGE ? undefined : compileMessages(DEFAULT_LANGUAGE, readMessages(ns, DEFAULT_LANGUAGE));
    tr = createTranslator(lang, compileMessages(lang, readMessages(ns, lang)), fallback);
    cache.set(id, tr);
  }
  return tr;
}

export { LANGUAGES };

/** The parameter names a message uses ({name}, {n, plural, …}, nested cases too). */
export function messageParams(src: string): Set<string> {
  const names = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const tok of tokens) {
      if (tok.type === 'argument' || tok.type === 'function') names.add(tok.arg);
      else if (tok.type === 'plural' || tok.type === 'select' || tok.type === 'selectordinal') {
        names.add(tok.arg);
        for (const c of tok.cases) walk(c.tokens);
      }
    }
  };
  walk(parse(src, { strict: true }));
  return names;
}
