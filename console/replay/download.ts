// Fetches a recording whole, with progress (docs/ARCHITECTURE.md "Recording": the player holds
// the file in memory, so there is a limit).
import { ApiError } from '../api.ts';
import { language, t } from '../i18n.ts';
import { formatBytes } from '../../protocol/i18n/intl.ts';

/** The largest recording the console replays (bytes); larger ones can still be downloaded. */
export const MAX_REPLAY_BYTES = 1024 * 1024 * 1024;

export interface Progress { bytes: number; total: number | null }

export async function fetchRecording(url: string, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<Uint8Array> {
  const res = await fetch(url, { credentials: 'same-origin', signal });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? 'http', body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  const total = Number(res.headers.get('content-length')) || null;
  if (total !== null && total > MAX_REPLAY_BYTES) throw tooLarge(total);
  const reader = res.body!.getReader();
  // One buffer of the stated size (no copies while it arrives); a file without a length grows by parts.
  let buf = new Uint8Array(total ?? 1024 * 1024);
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (n + value.length > buf.length) {
      if (n + value.length > MAX_REPLAY_BYTES) { void reader.cancel(); throw tooLarge(n + value.length); }
      const bigger = new Uint8Array(Math.min(MAX_REPLAY_BYTES, Math.max(buf.length * 2, n + value.length)));
      bigger.set(buf.subarray(0, n));
      buf = bigger;
    }
    buf.set(value, n);
    n += value.length;
    onProgress({ bytes: n, total });
  }
  return buf.subarray(0, n);
}

function tooLarge(bytes: number): Error {
  return new Error(t('replay.tooLarge', { size: formatBytes(bytes, language.value), max: formatBytes(MAX_REPLAY_BYTES, language.value) }));
}
