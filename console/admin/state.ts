// The Admin area's state, as signals beside the console's own store: what the screens show, loaded
// when a screen opens and replaced by what the server answers after each change.
import { signal } from '@preact/signals';
import type { AdminRep, AdminTeam, CannedMessage, EventEndpoint, OutboundEventType, SiteSettings } from '../../protocol/index.ts';
import type { ApiAccount } from '../../protocol/api/v1.ts';
import { ApiError } from '../api.ts';
import { toast } from '../store.ts';
import { adminApi } from './api.ts';

export type AdminScreen = 'reps' | 'teams' | 'settings' | 'canned' | 'integrations' | 'audit';

export const screen = signal<AdminScreen>('reps');
export const reps = signal<AdminRep[]>([]);
export const teams = signal<AdminTeam[]>([]);
export const settings = signal<SiteSettings | null>(null);
export const cannedAll = signal<CannedMessage[]>([]);
export const apiAccounts = signal<ApiAccount[]>([]);
export const endpoints = signal<EventEndpoint[]>([]);
export const connectors = signal<{ name: string; eventTypes: OutboundEventType[] }[]>([]);

/** A failed call as a toast (forms show their field errors themselves). */
export function failed(e: unknown): void {
  toast(e instanceof Error ? e.message : String(e), 'error');
}

export async function loadDirectory(): Promise<void> {
  try {
    const [r, t] = await Promise.all([adminApi.reps(), adminApi.teams()]);
    reps.value = r.reps;
    teams.value = t.teams;
  } catch (e) { failed(e); }
}

export async function loadSettings(): Promise<void> {
  try { settings.value = (await adminApi.settings()).settings; } catch (e) { failed(e); }
}

export async function loadCannedAll(): Promise<void> {
  try { cannedAll.value = (await adminApi.canned()).messages; } catch (e) { failed(e); }
}

export async function loadIntegrations(): Promise<void> {
  try {
    const [a, e, c] = await Promise.all([adminApi.apiAccounts(), adminApi.endpoints(), adminApi.connectors()]);
    apiAccounts.value = a.accounts;
    endpoints.value = e.endpoints;
    connectors.value = c.connectors;
  } catch (x) { failed(x); }
}

/** An Integrations action: done, said in a toast, lists reloaded; or the failure as a toast. */
export async function integrationAction(work: () => Promise<unknown>, said: string): Promise<void> {
  try { await work(); toast(said); await loadIntegrations(); } catch (x) { failed(x); }
}

/** Field errors of a refused form by path, or a general message under `''`. */
export function errorsOf(e: unknown): Record<string, string> {
  if (e instanceof ApiError && e.fields.length) return Object.fromEntries(e.fields.map((f) => [f.path, f.message]));
  return { '': e instanceof Error ? e.message : String(e) };
}

export const teamName = (id: string) => teams.value.find((t) => t.id === id)?.name ?? id;
export const repName = (id: string) => reps.value.find((r) => r.id === id)?.name ?? id;
