// The customer chat's page (index.html at `/`, `/s/<accessKey>`, `/chat`) in the visitor's
// language: the server negotiates Accept-Language and writes it into <html lang dir>, where the
// page's script reads it (docs/ARCHITECTURE.md "Languages"), so the first paint is in that language.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { negotiate, textDirection, type Language } from '../../protocol/i18n/locales.ts';
import { serverTranslator } from '../../protocol/i18n/compile.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** The visitor's language from the request's Accept-Language header. */
export function requestLanguage(req: FastifyRequest): Language {
  const h = req.headers['accept-language'];
  return negotiate(Array.isArray(h) ? h.join(',') : h);
}

/** index.html with the language's lang, dir and its few static words. */
export function localisedIndex(html: string, lang: Language): string {
  const { t } = serverTranslator('customer', lang);
  return html
    .replace(/<html lang="[^"]*">/, `<html lang="${lang}" dir="${textDirection(lang)}">`)
    .replace('<title>Support</title>', `<title>${esc(t('portal.defaultCompany'))}</title>`)
    .replace('<p class="loading">Loading…</p>', `<p class="loading">${esc(t('page.loading'))}</p>`)
    .replace('<noscript>This support chat needs JavaScript.</noscript>', `<noscript>${esc(t('page.noscript'))}</noscript>`);
}

export function chatPageHandler(chatDir: string) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const html = await readFile(join(chatDir, 'index.html'), 'utf8');
    return reply
      .type('text/html; charset=utf-8')
      // The same address answers differently per language: caches must keep them apart.
      .header('vary', 'accept-language')
      .header('cache-control', 'no-cache')
      .send(localisedIndex(html, requestLanguage(req)));
  };
}
