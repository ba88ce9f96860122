// The console's HTTP calls (same origin; the login cookie rides along). Errors carry the
// server's `{error:{code,message}}` text so the UI can show it as is.
import type { CannedMessage, DiagnosticsReport, Event, FieldError, Msg, RepProfile, SessionKeyRequest, SessionKeyResponse, SessionRecord } from '../protocol/index.ts';

/** GET /api/history/:id (server/http/records.ts). */
export interface HistoryDetail {
  session: SessionRecord;
  events: Event[];
  surveys: { role: 'customer' | 'rep'; repId: string | null; repName: string | null; at: number; items: { id: string; question: string; answer: string | number | boolean }[] }[];
  reps: { id: string; name: string; joinedAt: number; leftAt: number | null }[];
  sysinfo: { info: Msg<'sysinfo'>['info']; at: number } | null;
  diagnostics: { report: DiagnosticsReport; at: number } | null;
  transcriptUrl: string;
  /** The session's recording while it is kept (docs/ARCHITECTURE.md "Recording"). */
  recording: { bytes: number; url: string } | null;
}

export class ApiError extends Error {
  /** `fields`: the refused fields of a form, by dotted path (`agreement.timeoutSec`). */
  constructor(readonly status: number, readonly code: string, message: string, readonly fields: FieldError[] = []) { super(message); }
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; fields?: FieldError[] } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? 'http', err?.message ?? `${res.status} ${res.statusText}`, err?.fields ?? []);
  }
  return json as T;
}

export const api = {
  me: () => call<{ rep: RepProfile }>('GET', '/api/rep/me'),
  login: (username: string, password: string) => call<{ rep: RepProfile }>('POST', '/api/rep/login', { username, password }),
  logout: () => call<unknown>('POST', '/api/rep/logout', {}),
  sessionKey: (req: SessionKeyRequest) => call<SessionKeyResponse>('POST', '/api/session-keys', req),
  history: (q: string) => call<unknown>('GET', `/api/history?q=${encodeURIComponent(q)}`),
  historyOne: (id: string) => call<HistoryDetail>('GET', `/api/history/${encodeURIComponent(id)}`),
  canned: () => call<{ messages: CannedMessage[] }>('GET', '/api/rep/canned'),
  repNotices: () => call<{ notices: string[] }>('GET', '/api/rep/notices'),
  updateMe: (name: string) => call<{ rep: RepProfile }>('PATCH', '/api/rep/me', { name }),
  changePassword: (current: string, password: string) => call<unknown>('POST', '/api/rep/password', { current, password }),
};
