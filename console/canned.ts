// The canned messages the chat's picker offers: loaded at login and again whenever the server
// says they changed (`canned.changed`, docs/ARCHITECTURE.md "Administration").
import { api } from './api.ts';
import * as S from './store.ts';

export async function loadCanned(): Promise<void> {
  try {
    S.canned.value = (await api.canned()).messages;
  } catch (e) {
    S.toast(e instanceof Error ? e.message : String(e), 'error');
  }
}
