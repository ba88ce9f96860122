// The loader's only network use: the Bridge origin its script came from, without cookies and
// without a Referer (the page's address is none of Bridge's business; the browser's Origin
// header is what the server checks).
import type { EmbedAvailability, EmbedMessageRequest, EmbedMessageResponse, EmbedSettings, EmbedStartRequest, EmbedStartResponse } from '../protocol/api/embed.ts';

export interface BridgeApi {
  settings(queue: string): Promise<EmbedSettings>;
  availability(queue: string): Promise<EmbedAvailability>;
  start(req: EmbedStartRequest): Promise<EmbedStartResponse>;
  message(req: EmbedMessageRequest): Promise<EmbedMessageResponse>;
}

export function bridgeApi(origin: string): BridgeApi {
  async function call<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(origin + path, {
      method: body === undefined ? 'GET' : 'POST',
      mode: 'cors',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => null) as { error?: { code?: string; message?: string } } | null;
    if (!res.ok) throw Object.assign(new Error(data?.error?.message ?? `the support server answered ${res.status}`), { code: data?.error?.code });
    return data as T;
  }
  const q = (queue: string) => `?queue=${encodeURIComponent(queue)}`;
  return {
    settings: (queue) => call(`/api/embed/settings${q(queue)}`),
    availability: (queue) => call(`/api/embed/availability${q(queue)}`),
    start: (req) => call('/api/embed/start', req),
    message: (req) => call('/api/embed/message', req),
  };
}
