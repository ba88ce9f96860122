// The OpenAPI 3.1 document of the help-desk API, written from the route table and the protocol's
// valibot schemas (JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { OAuthError, TokenRequest, TokenResponse } from '../../../protocol/api/v1.ts';
import { PROTOCOL_VERSION } from '../../../protocol/index.ts';
import type { ApiRoute } from './route.ts';

type Json = Record<string, unknown>;

function schema(s: v.GenericSchema): Json {
  // Refinements with no JSON Schema form (trim, custom checks) are left out, not fatal.
  const out = toJsonSchema(s, { target: 'draft-2020-12', errorMode: 'ignore' }) as Json;
  delete out.$schema;
  return out;
}

const ERROR: Json = {
  type: 'object', required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string', description: 'What went wrong and what to do next.' } } } },
};

function operation(r: ApiRoute): Json {
  const params = [
    ...[...r.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
    ...(r.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: q.type, ...(q.enum ? { enum: q.enum } : {}) } })),
  ];
  const ok = r.binary ? { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } }
    : { 'application/json': { schema: schema(r.response) }, ...(r.text ? { 'text/plain': { schema: { type: 'string' } } } : {}) };
  const errors = Object.fromEntries(['400', '401', '403', '404', '429'].map((c) => [c, { $ref: `#/components/responses/Error${c}` }]));
  return {
    summary: r.summary,
    operationId: `${r.method.toLowerCase()}${r.url.replace('/api/v1', '').replace(/[/:-]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
    security: [{ oauth2: [r.scope] }],
    ...(params.length ? { parameters: params } : {}),
    ...(r.body ? { requestBody: { required: !r.bodyOptional, content: { 'application/json': { schema: schema(r.body) } } } } : {}),
    responses: { [r.status ?? 200]: { description: r.status === 201 ? 'Created' : 'OK', content: ok }, ...errors },
  };
}

/** Addresses are relative to where the document was fetched, so it is right behind any proxy. */
export function openApiDocument(routes: ApiRoute[]): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[r.method.toLowerCase()] = operation(r);
  }
  paths['/oauth2/token'] = {
    post: {
      summary: 'OAuth 2 client credentials: a bearer token for the API account (HTTP Basic or form fields)',
      operationId: 'postToken',
      security: [],
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: schema(TokenRequest) } } },
      responses: {
        200: { description: 'A token', content: { 'application/json': { schema: schema(TokenResponse) } } },
        400: { description: 'RFC 6749 error', content: { 'application/json': { schema: schema(OAuthError) } } },
        401: { description: 'Unknown client, wrong secret or disabled account', content: { 'application/json': { schema: schema(OAuthError) } } },
      },
    },
  };
  const describe: Record<string, string> = { 400: 'Invalid request', 401: 'No valid token', 403: 'The token lacks the scope', 404: 'Not found', 429: 'Too many calls' };
  return {
    openapi: '3.1.0',
    info: { title: 'Bridge help-desk API', version: `1 (protocol ${PROTOCOL_VERSION})`, description: 'Command, reporting and events API for help desks. See docs/INTEGRATIONS.md.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: '/oauth2/token', scopes: { command: 'Create keys and chat links, end sessions, list reps and teams', reporting: 'Read session records and transcripts', events: 'Manage event endpoints' } } },
        },
      },
      responses: Object.fromEntries(Object.entries(describe).map(([c, d]) => [`Error${c}`, { description: d, content: { 'application/json': { schema: ERROR } } }])),
    },
  };
}
