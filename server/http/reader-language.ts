// Whose words a server-made text is in (docs/ARCHITECTURE.md, "Languages" → "System events"):
// `?lang=` when given, else the request's Accept-Language, else English; and the zone its times
// are shown in: `?tz=` (an IANA zone the browser reports), else UTC. Both are only presentation.
import type { FastifyRequest } from 'fastify';
import { EVENT_LANGUAGES } from '../../protocol/i18n/events-all.ts';
import { knownZone } from '../../protocol/i18n/intl.ts';
import { ErrorCode } from '../../protocol/index.ts';
import { HttpFail } from './errors.ts';

/** Accept-Language's tags by weight, best first ("de-CH,de;q=0.9,en;q=0.5" → de-CH, de, en). */
function acceptedTags(header: string | undefined): string[] {
  if (!header) return [];
  return header.slice(0, 512).split(',').map((part, i) => {
    const [tag = '', ...ps] = part.trim().split(';');
    const q = ps.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, i };
  }).filter((x) => x.tag && x.q > 0).sort((a, b) => b.q - a.q || a.i - b.i).map((x) => x.tag);
}

/** The language of the `events` catalogue a reader gets. */
export function readerLanguage(req: FastifyRequest): string {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  if (asked !== undefined) {
    const lang = String(asked).toLowerCase().split('-')[0]!;
    if (!EVENT_LANGUAGES.includes(lang)) throw new HttpFail(400, ErrorCode.Invalid, `lang is one of ${EVENT_LANGUAGES.join(', ')}`);
    return lang;
  }
  for (const tag of acceptedTags(req.headers['accept-language'])) {
    const lang = tag.split('-')[0]!;
    if (EVENT_LANGUAGES.includes(lang)) return lang;
  }
  return 'en';
}

/** The zone a text's times are shown in. */
export function readerZone(req: FastifyRequest): string {
  const asked = (req.query as Record<string, unknown> | undefined)?.tz;
  if (asked === undefined) return 'UTC';
  const zone = knownZone(String(asked).slice(0, 64));
  if (!zone) throw new HttpFail(400, ErrorCode.Invalid, 'tz is an IANA time zone such as Europe/Berlin');
  return zone;
}
