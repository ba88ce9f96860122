// The token of an `Authorization: Bearer` header (RFC 6750), or null; customer tokens and API
// tokens both travel this way.
import type { FastifyRequest } from 'fastify';

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1] : null;
}
