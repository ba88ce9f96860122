// Customer-side participants: the session-scoped bearer token handed out by join/submit.
import type { Store } from '../store/store.ts';
import { hashToken, newId, randomToken } from '../secrets.ts';

/** `eventsSince`: an agent sees the transcript from its key's issue time on (null: all of it). */
export async function createCustomerSide(store: Store, sessionId: string, role: 'customer' | 'agent', name: string, eventsSince: number | null = null): Promise<string> {
  const token = randomToken(32);
  await store.createParticipant({
    id: newId(), session_id: sessionId, role, rep_id: null, name, token_hash: hashToken(token),
    resume_token_hash: null, resume_expires_at: null, joined_at: Date.now(), left_at: null, events_since: eventsSince,
  });
  return token;
}
