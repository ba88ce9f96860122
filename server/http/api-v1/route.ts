// One /api/v1 route as data: the table registers the Fastify route and writes its OpenAPI entry,
// so the published document cannot drift from what the server answers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type * as v from 'valibot';
import type { ApiScope } from '../../../protocol/api/v1.ts';
import type { Ctx } from '../../context.ts';

export interface QueryParam { name: string; description: string; type: 'string' | 'integer' | 'boolean'; enum?: string[] }

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The success status when not 200. */
  status?: 201;
  /** Fastify form: /api/v1/sessions/:id */
  url: string;
  scope: ApiScope;
  summary: string;
  body?: v.GenericSchema;
  /** The body may be left out (every field optional). */
  bodyOptional?: true;
  query?: QueryParam[];
  /** The JSON answer on success. */
  response: v.GenericSchema;
  /** Also answers text/plain (when the query asks for text). */
  text?: true;
  /** Answers a file (application/octet-stream) instead of JSON. */
  binary?: true;
  handler(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

/** A query value as an integer within bounds, or the default. */
export function intParam(raw: unknown, def: number, min: number, max: number): number {
  const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : def;
  return Math.min(Math.max(n, min), max);
}
