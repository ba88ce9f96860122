// After the restart (docs/ARCHITECTURE.md, "Reboot and reconnect"): the agent started from the
// one-time entry (which main.ts has removed already) reads and deletes its credential and trades
// it for an agent token of the same session. Anything that goes wrong is said in words for the
// customer: the session ended, the credential expired, the server can't be reached.
import * as v from 'valibot';
import { HttpError, JoinResponse } from '../../protocol/index.ts';
import { takeReconnectFile } from './reconnect-file.ts';

export class RejoinFailure extends Error {}

export async function rejoinAfterRestart(file: string, server: string): Promise<JoinResponse> {
  const state = takeReconnectFile(file);
  if (!state) throw new RejoinFailure('The support session could not be resumed after the restart (its details were not found). Open the support chat again if you still need help.');
  if (new URL(state.server).origin !== new URL(server).origin) throw new RejoinFailure('The support session was kept for another support server: open the support chat again if you still need help.');
  if (state.expiresAt <= Date.now()) throw new RejoinFailure('Your computer took too long to restart for the support session. Open the support chat again if you still need help.');
  const res = await post(server, state.credential, Math.min(state.expiresAt, Date.now() + NETWORK_WAIT_MS));
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = v.safeParse(HttpError, body);
    throw new RejoinFailure(err.success ? `Your support session could not be resumed: ${err.output.error.message}.` : `Your support session could not be resumed (HTTP ${res.status}).`);
  }
  const parsed = v.safeParse(JoinResponse, body);
  if (!parsed.success) throw new RejoinFailure('The support server answered with something unexpected.');
  return parsed.output;
}

/** Right after log-in the network may not be up yet: keep trying this long (within the credential's life). */
const NETWORK_WAIT_MS = 90_000;

async function post(server: string, credential: string, until: number): Promise<Response> {
  for (;;) {
    try {
      return await fetch(new URL('/api/sessions/reconnect', server), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credential }),
        signal: AbortSignal.timeout(20_000),
      });
    } catch {
      if (Date.now() + 3000 > until) throw new RejoinFailure('The support server could not be reached after the restart. Check your connection and open the support chat again.');
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}
