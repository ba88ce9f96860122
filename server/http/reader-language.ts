// Whose words a server-made text is in (docs/ARCHITECTURE.md, "Languages" → "System events"):
// `?lang=` when given, else the request's Accept-Language, else English; and the zone its times
// are shown in: `?tz=` (an IANA zone the browser reports), else UTC. Both are only presentation:
// a language we don't ship is refused (the caller chose it), a zone this runtime doesn't know
// falls back to UTC (a browser may report one the server's ICU lacks; the text names the zone).
import type { FastifyRequest } from 'fastify';
import { knownZone } from '../../protocol/i18n/intl.ts';
import { isLanguage, LANGUAGES, negotiate, type Language } from '../../protocol/i18n/locales.ts';
import { ErrorCode } from '../../protocol/index.ts';
import { HttpFail } from './errors.ts';

const query = (req: FastifyRequest) => (req.query ?? {}) as Record<string, unknown>;

/** The language a reader gets. */
export function readerLanguage(req: FastifyRequest): Language {
  const asked = query(req).lang;
  if (asked === undefined) return negotiate(req.headers['accept-language']);
  if (!isLanguage(asked)) throw new HttpFail(400, ErrorCode.Invalid, `lang is one of ${LANGUAGES.join(', ')}`);
  return asked;
}

/** The zone a text's times are shown in. */
export function readerZone(req: FastifyRequest): string {
  const asked = query(req).tz;
  return (typeof asked === 'string' && knownZone(asked.slice(0, 64))) || 'UTC';
}
