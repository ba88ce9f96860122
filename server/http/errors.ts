// HTTP errors with codes: every failure answers {error:{code,message}} (protocol/http.ts).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { ErrorCode, fieldErrors, type FieldError } from '../../protocol/index.ts';
import { logError } from '../log.ts';

export class HttpFail extends Error {
  /** `fields`: each refused field of a form, so the form can say what to fix beside it. */
  constructor(readonly statusCode: number, readonly code: ErrorCode, message: string, readonly fields?: FieldError[]) {
    super(message);
  }
}

/** Validates a request body (or query) against a protocol schema; 400 `invalid` otherwise. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, input ?? {});
  if (r.success) return r.output;
  const fields = fieldErrors(r.issues);
  const { path, message } = fields[0];
  throw new HttpFail(400, ErrorCode.Invalid, `invalid request${path ? ` at ${path}` : ''}: ${message}`, fields);
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.Invalid, 401: ErrorCode.Unauthorized, 403: ErrorCode.Forbidden, 404: ErrorCode.NotFound,
  409: ErrorCode.Conflict, 410: ErrorCode.Expired, 413: ErrorCode.TooLarge, 415: ErrorCode.Invalid, 429: ErrorCode.RateLimited,
};

export function errorHandler(err: FastifyError | HttpFail, _req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof HttpFail) {
    void reply.status(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
    return;
  }
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
  if (status >= 500) logError(err);
  const code = STATUS_CODES[status] ?? ErrorCode.Internal;
  const message = status >= 500 ? 'internal error' : err.message || 'request refused';
  void reply.status(status).send({ error: { code, message } });
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send({ error: { code: ErrorCode.NotFound, message: `no route ${req.method} ${req.url.split('?')[0]}` } });
}
