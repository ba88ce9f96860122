// The Admin area's state, as signals beside the console's own store: what the screens show, loaded
// when a screen opens and replaced by what the server answers after each change.
import { signal } from '@preact/signals';
import type { AdminRep, AdminTeam, CannedMessage, SiteSettings } from '../../protocol/index.ts';
import { ApiError } from '../api.ts';
import { toast } from '../store.ts';
import { adminApi } from './api.ts';

export type AdminScreen = 'reps' | 'teams' | 'settings' | 'canned' | 'audit';

export const screen = signal<AdminScreen>('reps');
export const reps = signal<AdminRep[]>([]);
export const teams = signal<AdminTeam[]>([]);
export const settings = signal<SiteSettings | null>(null);
export const cannedAll = signal<CannedMessage[]>([]);

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

/** Field errors of a refused form by path, or a general message under `''`. */
export function errorsOf(e: unknown): Record<string, string> {
  if (e instanceof ApiError && e.fields.length) return Object.fromEntries(e.fields.map((f) => [f.path, f.message]));
  return { '': e instanceof Error ? e.message : String(e) };
}

export const teamName = (id: string) => teams.value.find((t) => t.id === id)?.name ?? id;
export const repName = (id: string) => reps.value.find((r) => r.id === id)?.name ?? id;
