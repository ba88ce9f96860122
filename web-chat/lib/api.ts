// HTTP calls of the portal and the chat, and what the tab keeps across a reload.
import type { AgentKeyResponse, JoinRequest, JoinResponse, PortalInfo, SubmitIssueRequest } from '../../protocol/http.ts';
import { tabStorage } from './storage.ts';
import { language, t } from './i18n.ts';
import { localZone } from '../../protocol/i18n/intl.ts';

export interface Creds { token: string; sessionId: string }

const CREDS = 'bridge.chat';

export class HttpFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (!res.ok) {
    let code = 'http', message = text || res.statusText;
    try { ({ code, message } = JSON.parse(text).error); } catch { /* not our JSON error body */ }
    throw new HttpFailure(res.status, code, message);
  }
  return (path.includes('format=txt') ? text : JSON.parse(text)) as T;
}

export const api = {
  portal: () => call<PortalInfo>('GET', '/api/portal'),
  join: (req: JoinRequest) => call<JoinResponse>('POST', '/api/sessions/join', req),
  submit: (req: SubmitIssueRequest) => call<{ token: string; sessionId: string; key?: string }>('POST', '/api/portal/submit', req),
  agentKey: (token: string) => call<AgentKeyResponse>('POST', '/api/sessions/agent-key', {}, token),
  // In the chat's language, its times in the customer's zone (the text names the zone).
  transcript: (sessionId: string, token: string) => call<string>('GET', `/api/sessions/${encodeURIComponent(sessionId)}/transcript?format=txt&lang=${language.value}&tz=${encodeURIComponent(localZone())}`, undefined, token),
};

/** Friendly text for a failed join. */
export function joinError(e: unknown): string {
  if (e instanceof HttpFailure) {
    if (e.status === 404) return t('join.invalid');
    if (e.status === 410) return t('join.expired');
    if (e.status === 409) return t('join.used');
    if (e.status === 429) return t('join.tooMany');
    return e.message;
  }
  return t('join.unreachable');
}

export const creds = {
  load(): Creds | null {
    try { const c = JSON.parse(tabStorage.getItem(CREDS) ?? 'null'); return c && c.token && c.sessionId ? c : null; } catch { return null; }
  },
  save(c: Creds): void { tabStorage.setItem(CREDS, JSON.stringify(c)); },
  clear(): void { tabStorage.removeItem(CREDS); },
};
