// What the rep can do, as plain functions over the store and the connection.
import type { Msg, ReliableMessage } from '../protocol/index.ts';
import { api, ApiError } from './api.ts';
import { connect, disconnect, newClientId, send, sendReliable, session } from './client.ts';
import { loadCanned } from './canned.ts';
import * as S from './store.ts';

export { loadCanned };

function failed(e: unknown): void {
  S.toast(e instanceof Error ? e.message : String(e), 'error');
}

export async function checkLogin(): Promise<void> {
  try {
    const { rep } = await api.me();
    S.me.value = rep;
    connect();
    void loadCanned();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) failed(e);
  } finally {
    S.authChecked.value = true;
  }
}

export async function login(username: string, password: string): Promise<string | null> {
  try {
    const { rep } = await api.login(username, password);
    S.me.value = rep;
    S.loginNotice.value = null;
    connect();
    void loadCanned();
    return null;
  } catch (e) {
    return e instanceof ApiError && e.status === 401 ? 'Wrong user name or password.' : (e as Error).message;
  }
}


export async function logout(): Promise<void> {
  disconnect();
  await api.logout().catch(() => {});
  S.forgetLogin();
}

export function setAvailability(status: S.Availability): void {
  S.availability.value = status;
  send({ t: 'availability', status });
}

export function accept(sessionId: string): void {
  if (!send({ t: 'accept', sessionId })) return failed(new Error('Not connected to the server'));
  S.openTab(sessionId);
  S.view.value = sessionId;
}

function reliable(msg: ReliableMessage): Promise<number | void> {
  return sendReliable(msg).catch(failed);
}

export function chat(sessionId: string, text: string): void {
  const id = newClientId();
  const s = session(sessionId);
  s.pending.value = [...s.pending.value, { id, text, at: Date.now() }];
  // The outbox resends after a reconnect; only a closed connection gives up on it.
  sendReliable({ t: 'chat', sessionId, id, text }).catch((e) => {
    s.pending.value = s.pending.value.filter((p) => p.id !== id);
    failed(e);
  });
  typing(sessionId, false);
}

/** "Is typing" on each keystroke and "stopped" after a pause or on send (client/typing.ts). */
export function typing(sessionId: string, active: boolean): void {
  session(sessionId).typingOut.set(active);
}

/** Offer a file to the customer; a refusal before it leaves (offline) is a toast. */
export function sendFile(sessionId: string, file: File): void {
  const error = session(sessionId).transfers.offer(file);
  if (error) S.toast(error, 'error');
}

export function answerFile(sessionId: string, fileId: string, accept: boolean): void {
  session(sessionId).transfers.answer(fileId, accept);
}

export const nudge = (sessionId: string) => void reliable({ t: 'nudge', sessionId, id: newClientId() });
export const pushUrl = (sessionId: string, url: string) => void reliable({ t: 'url.push', sessionId, id: newClientId(), url });
export const notice = (sessionId: string, text: string) => void reliable({ t: 'notice', sessionId, id: newClientId(), text, leaveAllowed: true });

/** Ask the customer's agent for diagnostics; the customer allows or refuses in the agent. */
export function requestDiagnostics(sessionId: string): void {
  if (!send({ t: 'diag.request', sessionId, id: newClientId() })) failed(new Error('Not connected to the server: try again in a moment.'));
}

/** Ask to restart the customer's computer; the customer confirms (or not) in the agent. */
export function requestReboot(sessionId: string): void {
  if (!send({ t: 'reboot.request', sessionId, id: newClientId() })) failed(new Error('Not connected to the server: try again in a moment.'));
}

export function hold(sessionId: string): void {
  send({ t: 'hold', sessionId });
  S.closeTab(sessionId);
}

export function transfer(sessionId: string, to: Msg<'transfer'>['to']): void {
  send({ t: 'transfer', sessionId, to });
  S.closeTab(sessionId);
}

/** Ends the session for everyone; the tab stays open for the exit survey. */
export function end(sessionId: string): void {
  send({ t: 'end', sessionId, reason: 'ended by representative' });
  const s = session(sessionId);
  if ((S.me.value?.survey.length ?? 0) > 0) s.surveyDue.value = true;
  else S.closeTab(sessionId);
}

export async function submitSurvey(sessionId: string, answers: Record<string, string | number | boolean>): Promise<void> {
  await reliable({ t: 'survey', sessionId, id: newClientId(), answers });
  session(sessionId).surveyDue.value = false;
  S.closeTab(sessionId);
  S.toast('Survey saved');
}
