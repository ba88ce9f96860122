// Shared by the web-chat browser tests: a real Chromium (Debian's, through playwright-core)
// with one context per customer, and small page helpers.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser.ts';

export const SHOTS = process.env.BRIDGE_SHOTS ?? '/tmp';

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** What an iPhone's Safari says it is. */
export const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A fresh customer: own cookies and storage, desktop or phone-sized (`iphone`: a touch phone that says so). */
export async function customer(browser: Browser, opts: { phone?: boolean; iphone?: boolean } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    viewport: opts.phone || opts.iphone ? PHONE : { width: 1000, height: 800 },
    acceptDownloads: true,
    ...(opts.iphone ? { userAgent: IPHONE_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}),
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000); // loaded CI machines
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  return { ctx, page };
}

/** The chat log's lines as text. */
export async function lines(page: Page): Promise<string[]> {
  return page.$$eval('.log .line', (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

/** Waits until a chat line contains `text`. */
export async function seeLine(page: Page, text: string, timeout = 8000): Promise<void> {
  await page.waitForFunction((t) => [...document.querySelectorAll('.log .line')].some((e) => e.textContent?.includes(t)), text, { timeout });
}

/** A phone the size customers use (CSS pixels of an iPhone 12–14). */
export const PHONE = { width: 390, height: 844 };

/** Where an element is against the window: inside it entirely, and whether focus is in it. */
export async function placement(page: Page, selector: string): Promise<{ inView: boolean; focused: boolean; role: string | null; top: number; bottom: number; innerHeight: number }> {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return {
      inView: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0,
      focused: el.contains(document.activeElement),
      role: el.getAttribute('role'),
      top: Math.round(r.top), bottom: Math.round(r.bottom), innerHeight: window.innerHeight,
    };
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/bridge-webchat-${name}.png`, fullPage: true });
}

/** A session link: the name step (the site asks by default), then the chat. */
export async function openLink(page: Page, link: string, name = 'Test Customer'): Promise<void> {
  await page.goto(link);
  await page.fill('#link-name', name);
  await page.click('button:text-is("Start")');
}

/** Portal → key and name → agreement accepted: the customer is in the chat and waiting. */
export async function joinByKey(page: Page, url: string, key: string, opts: { accept?: boolean; name?: string } = {}): Promise<void> {
  await page.goto(url + '/');
  await page.fill('#session-key', key);
  await page.fill('#key-name', opts.name ?? 'Test Customer');
  await page.click('button:text-is("Start")');
  if (opts.accept !== false) {
    await page.click('.agreement button:text-is("Accept")');
  }
}

/** Form controls and buttons a screen reader could not name (no label, aria-label or text). */
export async function unlabelled(page: Page): Promise<string[]> {
  return page.$$eval('input:not([type=hidden]):not([aria-hidden=true]), select, textarea, button, a[href]', (els) =>
    els.filter((e) => {
      const id = e.getAttribute('id');
      const named = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (id && document.querySelector(`label[for="${id}"]`)) || e.closest('label') || (e.textContent ?? '').trim();
      return !named && !(e as HTMLInputElement).labels?.length;
    }).map((e) => e.outerHTML.slice(0, 80)));
}
