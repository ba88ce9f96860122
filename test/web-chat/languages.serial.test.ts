// A customer's languages, in one browser (docs/ARCHITECTURE.md "Languages"): the portal follows
// Accept-Language (German), the picker switches to Arabic (right to left, mirrored), the chat
// keeps the language and the server stores it with the session; screenshots of the portal and
// the chat in all five languages at 360 and 1280 px go to artifacts/i18n/; axe checks the
// Arabic chat.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LANGUAGES } from '../../protocol/i18n/locales.ts';
import { axeFindings, describeFindings } from '../helpers/axe.ts';
import { createKey, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { launch, seeLine } from './util.ts';

const ARTIFACTS = join(fileURLToPath(new URL('../../', import.meta.url)), 'artifacts', 'i18n');
const WIDTHS = [360, 1280];

let server: TestServer;
let browser: Browser;
let cookie = '';
let rep: TestClient;

test.before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The agreement in Arabic and German; French has none and falls back to the default (English).
  server = await startServer({ config: { companyName: 'Acme', agreement: { text: 'You agree to our support terms.', timeoutSec: 300 }, translations: {
    ar: { agreement: 'أنت توافق على شروط الدعم لدينا.', issueCategories: ['سؤال عام'] },
    de: { agreement: 'Sie stimmen unseren Support-Bedingungen zu.' },
  } } });
  browser = await launch();
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
});

test.after(async () => {
  rep?.close();
  await browser?.close();
  await server?.stop();
});

const storedLanguage = (sessionId: string): string | null => {
  const db = new Database(join(server.dataDir, 'bridge.db'), { readonly: true, fileMustExist: true });
  try { return (db.prepare('SELECT language FROM sessions WHERE id = ?').get(sessionId) as { language: string | null }).language; } finally { db.close(); }
};

const pageLang = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

/** Screenshots at each width; at each the page must not scroll sideways (nothing clipped or pushed off). */
async function shots(page: Page, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 500 ? 740 : 800 });
    await page.waitForTimeout(50);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `${name} at ${width} px scrolls sideways by ${over} px`);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: width > 500 });
  }
}

async function pick(page: Page, select: string, lang: string): Promise<void> {
  await page.selectOption(select, lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

test('portal in German from Accept-Language, Arabic from the picker (mirrored), the chat keeps it, all five languages shot', async () => {
  const k = await createKey(server, cookie);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, extraHTTPHeaders: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(server.url + '/');
  await page.waitForSelector('#session-key');
  assert.equal(await pageLang(page), { lang: 'de', dir: 'ltr' });
  assert.is(await page.textContent('#key-h'), 'Haben Sie einen Sitzungsschlüssel?');
  assert.is(await page.inputValue('#portal-lang'), 'de');
  // The picker is a labelled select reached by keyboard, each language in its own name.
  assert.is(await page.textContent('label[for="portal-lang"]'), 'Sprache');
  assert.equal(await page.$$eval('#portal-lang option', (os) => os.map((o) => o.textContent)), ['English', 'Deutsch', 'Français', 'Español', 'العربية']);

  for (const lang of LANGUAGES) {
    await pick(page, '#portal-lang', lang);
    await shots(page, `portal-${lang}`);
  }

  // Arabic: right to left, and the layout mirrors (the company name starts at the right).
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.focus('#portal-lang');
  await page.keyboard.press('End'); // keyboard works the select: the last option is Arabic
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  assert.equal(await pageLang(page), { lang: 'ar', dir: 'rtl' });
  const layout = await page.evaluate(() => {
    const h1 = document.querySelector('.top h1')!.getBoundingClientRect();
    const picker = document.querySelector('.lang-picker')!.getBoundingClientRect();
    const labelEl = document.querySelector('label[for="session-key"]')!;
    // The label is a block as wide as the card: where its text sits is what mirrors.
    const range = document.createRange();
    range.selectNodeContents(labelEl);
    const label = range.getBoundingClientRect();
    const card = labelEl.closest('.card')!.getBoundingClientRect();
    return { h1Right: h1.right, pickerLeft: picker.left, labelRightGap: card.right - label.right, labelLeftGap: label.left - card.left };
  });
  assert.ok(layout.pickerLeft < layout.h1Right, 'the header is mirrored: the heading is right of the picker');
  assert.ok(layout.labelRightGap < layout.labelLeftGap, 'labels start at the right edge of their card');
  assert.is(await page.textContent('#key-h'), 'هل لديك مفتاح جلسة؟');
  assert.equal(await page.$$eval('#f-issue option', (os) => os.slice(1, 3).map((o) => [(o as HTMLOptionElement).value, o.textContent])),
    [['General question', 'سؤال عام'], ['Software problem', 'Software problem']], 'categories: translated label, default value; fallback');

  // Into the chat: the join carries the language, the chat stays Arabic, the server keeps it.
  await page.fill('#session-key', k.key);
  await page.fill('#key-name', 'دانة');
  await page.click('form[aria-labelledby="key-h"] button[type=submit]');
  // The site's agreement in the customer's language (configured per language, else the default).
  await page.waitForSelector('#agr-text');
  assert.is(await page.textContent('#agr-text'), 'أنت توافق على شروط الدعم لدينا.');
  await pick(page, '#chat-lang', 'fr');
  assert.is(await page.textContent('#agr-text'), 'You agree to our support terms.');
  assert.is(await page.textContent('#agr-h'), 'Conditions d’utilisation');
  await pick(page, '#chat-lang', 'ar');
  await page.click('.agreement button.primary');
  await page.waitForSelector('#chat-input');
  assert.equal(await pageLang(page), { lang: 'ar', dir: 'rtl' });
  assert.is(await page.inputValue('#chat-lang'), 'ar');
  assert.is(await page.getAttribute('#chat-input', 'placeholder'), 'اكتب رسالة…');
  // The page shows the language at once; the server stores it when its message arrives.
  await until(() => storedLanguage(k.sessionId) === 'ar', 5000, 'the session stored in Arabic');

  // A rep answers; the customer's own line and theirs, in the log.
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await rep.waitFor((m) => m.t === 'session' && m.session.id === k.sessionId && m.session.state === 'active');
  await page.fill('#chat-input', 'مرحبا، الطابعة لا تعمل');
  await page.keyboard.press('Enter');
  await seeLine(page, 'الطابعة');
  void rep.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: 'i18n-1', text: 'Hello! Let me look at your printer.' });
  await seeLine(page, 'printer');

  for (const lang of LANGUAGES) {
    await pick(page, '#chat-lang', lang);
    await shots(page, `chat-${lang}`);
  }
  // Each choice reaches the server: the session's language is the last one picked.
  await rep.waitFor((m) => m.t === 'session' && m.session.id === k.sessionId && m.session.language === 'ar');

  // A reload keeps the language (this tab chose it), whatever the browser asks for.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  await page.waitForSelector('#chat-input');
  assert.equal(await pageLang(page), { lang: 'ar', dir: 'rtl' });
  assert.is(await page.textContent('.foot button.share'), 'مشاركة شاشتي');
  const findings = await axeFindings(page);
  assert.equal(findings, [], describeFindings(findings));
  await ctx.close();
});

test.run();
