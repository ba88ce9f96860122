// The message catalogues (docs/ARCHITECTURE.md "Languages"): every language of a namespace has
// exactly English's keys and parameters, every message compiles as ICU MessageFormat, and no room
// listed in ROOMS shows text that doesn't come from its catalogue.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { catalogueModule, compileMessages, messageParams, NAMESPACES, readMessages, SERVER_ONLY_KEYS } from '../../protocol/i18n/compile.ts';
import * as v from 'valibot';
import { LANGUAGES, LanguageSchema, negotiate, textDirection } from '../../protocol/i18n/locales.ts';
import { createTranslator } from '../../protocol/i18n/translate.ts';

/**
 * The rooms whose UI text must come from a catalogue. `tsx`: JSX text and the aria-label, title,
 * placeholder, alt and label attributes of every .tsx file under `path`; `html`: the same in the
 * HTML a .ts file writes in template literals. Add a room here when it is localised.
 */
const ROOMS: { path: string; kind: 'tsx' | 'html' }[] = [
  { path: 'web-chat', kind: 'tsx' },
  { path: 'agent/window/ui', kind: 'tsx' },
  { path: 'server/http/download-page.ts', kind: 'html' },
  { path: 'console', kind: 'tsx' },
];

/** Text that is not language: symbols, numbers, the product's own marks. */
const NOT_WORDS = /^(?:[\s\d.,:;!?%()[\]\-–—+×/|•…'"&#;·✓]*|Bridge)$/u;
/** Marks and commands shown as they are in every language (the A−/A+ buttons, shell commands). */
const NOT_LANGUAGE = new Set(['A−', 'A+', 'chmod +x']);

/** Code between two JSX expressions that the tag matcher takes for text (`<A />;\n return <B`, `: x === y ?`). */
const CODE = /;\s*\n|===|^\s*:\s*\(|\?\s*$/;

const root = fileURLToPath(new URL('../../', import.meta.url));

function filesUnder(path: string, ext: string): string[] {
  const abs = join(root, path);
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).map((f) => join(abs, f));
}

/** Hard-coded text in markup: JSX/HTML text between tags and literal values of text attributes. */
export function hardCodedText(markup: string): string[] {
  const found: string[] = [];
  // A tag's closing `>` follows a quote, brace, letter or slash, never a space or `=` (esbuild
  // prints comparisons as ` > ` and arrows as `=>`); the text runs to the next tag or expression.
  for (const m of markup.matchAll(/(?<![\s=>-])>([^<>{}$`]+)(?=[<{$`])/g)) {
    // After an element closes in code (`</p>;`, `</b>)`, `: x`) what follows is code, not text;
    // a quote starts a string or a regular expression's remainder.
    if (/^\s*[;),:\]}?&|"']/.test(m[1])) continue;
    const text = m[1].replace(/&[a-z]+;|&#\d+;/g, ' ').trim();
    if (text && !NOT_WORDS.test(text) && !NOT_LANGUAGE.has(text) && !CODE.test(text)) found.push(text);
  }
  for (const m of markup.matchAll(/\b(aria-label|title|placeholder|alt|label)=(?:"([^"]*)"|'([^']*)'|\{"([^"]*)"\}|\{`([^`$]*)`\})/g)) {
    const text = (m[2] ?? m[3] ?? m[4] ?? m[5]).trim();
    if (text && !NOT_WORDS.test(text)) found.push(`${m[1]}="${text}"`);
  }
  return found;
}

function markupOf(file: string, kind: 'tsx' | 'html'): string {
  const src = readFileSync(file, 'utf8');
  // Types and comments gone, JSX kept: what is left between tags is what people read.
  if (kind === 'tsx') return transformSync(src, { loader: 'tsx', jsx: 'preserve', charset: 'utf8' }).code;
  const code = transformSync(src, { loader: 'ts', charset: 'utf8' }).code;
  // Joined by a tag so text never runs from one literal into the next.
  return [...code.matchAll(/`((?:[^`\\]|\\.)*)`/g)].map((m) => m[1]).join('<')
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, '');
}

for (const ns of NAMESPACES) {
  const en = readMessages(ns, 'en');
  for (const lang of LANGUAGES) {
    const messages = readMessages(ns, lang);
    const present = Object.keys(messages).length > 0;
    // A namespace not translated yet has only English (its other files don't exist).
    if (!present && lang !== 'en') continue;
    test(`${ns}/${lang}: the same keys as English`, () => {
      const missing = Object.keys(en).filter((k) => !(k in messages));
      const extra = Object.keys(messages).filter((k) => !(k in en));
      assert.equal(missing, [], `${ns}/${lang}.json lacks keys`);
      assert.equal(extra, [], `${ns}/${lang}.json has keys English doesn't`);
    });
    test(`${ns}/${lang}: every message is valid ICU MessageFormat with English's parameters`, () => {
      assert.not.throws(() => compileMessages(lang, messages));
      const wrong: string[] = [];
      for (const [key, src] of Object.entries(messages)) {
        if (!(key in en)) continue;
        const allowed = messageParams(en[key]);
        for (const p of messageParams(src)) if (!allowed.has(p)) wrong.push(`${key}: {${p}}`);
      }
      assert.equal(wrong, [], `${ns}/${lang}.json uses parameters English doesn't`);
    });
  }
}

test('the checks find what they should: a missing parameter, a syntax error, hard-coded text', () => {
  assert.equal([...messageParams('{n, plural, one {# file from {name}} other {# files}} {when}')].sort(), ['n', 'name', 'when']);
  assert.throws(() => compileMessages('en', { broken: '{n, plural, one {x}' }), /broken/);
  const jsx = transformSync('const A = (n: Array<number>) => <p title="Close">Hello {n.length > 1 ? "x" : "y"} <b>{t("k")}</b></p>;', { loader: 'tsx', jsx: 'preserve' }).code;
  assert.equal(hardCodedText(jsx), ['Hello', 'title="Close"']);
});

test('keys only the server renders stay out of the browser modules, and no page asks for one', () => {
  const serverOnly = SERVER_ONLY_KEYS.customer!;
  const keys = Object.keys(readMessages('customer', 'en'));
  const module = catalogueModule('customer', 'de');
  for (const k of keys) assert.is(module.includes(`"${k}":`), !serverOnly.test(k), k);
  for (const file of ['web-chat', 'agent/window/ui', 'client'].flatMap((d) => [...filesUnder(d, '.ts'), ...filesUnder(d, '.tsx')])) {
    const asked = [...readFileSync(file, 'utf8').matchAll(/['"`]((?:dl|page)\.[\w.]*)/g)].map((m) => m[1]);
    assert.equal(asked, [], relative(root, file));
  }
});

test('negotiate: the best supported language of Accept-Language or a list, else English', () => {
  assert.is(negotiate('de-CH,de;q=0.9,en;q=0.5'), 'de');
  assert.is(negotiate('ja,fr;q=0.3,es;q=0.8'), 'es');
  assert.is(negotiate('ar-EG'), 'ar');
  assert.is(negotiate('de;q=0,fr'), 'fr');
  assert.is(negotiate('ja, zh'), 'en');
  assert.is(negotiate(''), 'en');
  assert.is(negotiate(null), 'en');
  assert.is(negotiate(['pt-BR', 'FR-ca']), 'fr');
  assert.is(textDirection('ar'), 'rtl');
  assert.is(textDirection('de'), 'ltr');
  assert.ok(v.is(LanguageSchema, 'es'));
  assert.not.ok(v.is(LanguageSchema, 'xx'));
});

test('translate: parameters, plurals by the language\'s rules, select, English for a missing key', () => {
  const en = compileMessages('en', { files: '{n, plural, one {# file from {name}} other {# files from {name}}}', who: '{role, select, rep {Your representative} other {Someone}} left', only: 'Only in English' });
  const ar = compileMessages('ar', { files: '{n, plural, zero {لا ملفات} one {ملف واحد} two {ملفان} few {# ملفات} many {# ملفًا} other {# ملف}} من {name}' });
  const tEn = createTranslator('en', en).t;
  assert.is(tEn('files', { n: 1, name: 'Ana' }), '1 file from Ana');
  assert.is(tEn('files', { n: 3, name: 'Ana' }), '3 files from Ana');
  assert.is(tEn('who', { role: 'rep' }), 'Your representative left');
  const tAr = createTranslator('ar', ar, en).t;
  assert.is(tAr('files', { n: 2, name: 'Ana' }), 'ملفان من Ana');
  assert.ok(tAr('files', { n: 5, name: 'Ana' }).endsWith('ملفات من Ana'));
  assert.is(tAr('only'), 'Only in English');
  assert.is(tAr('nowhere'), 'nowhere');
});

for (const room of ROOMS) {
  test(`${room.path}: every UI string comes from the catalogue`, () => {
    const found: string[] = [];
    for (const file of filesUnder(room.path, room.kind === 'tsx' ? '.tsx' : '.ts')) {
      for (const text of hardCodedText(markupOf(file, room.kind))) found.push(`${relative(root, file)}: ${text}`);
    }
    assert.equal(found, [], 'text not from the catalogue');
  });
}

test.run();
