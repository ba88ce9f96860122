// The customer's grant. It lives here, in the agent, and changes only through set(), which only
// the local window and the terminal fallback call; nothing from the network reaches it
// (docs/ARCHITECTURE.md "Consent lives in the agent"). Every change bumps the epoch so reps can drop input sent under an older grant.
import type { Grant } from '../../protocol/index.ts';

export interface GrantSnapshot {
  grant: Grant;
  epoch: number;
  /** Rep ids the grant covers: the reps present when the customer decided. */
  reps: string[];
  /** Application sharing: the window titles shared; null = the whole screen. */
  apps: string[] | null;
}

export class Consent {
  private state: GrantSnapshot = { grant: 'none', epoch: 0, reps: [], apps: null };
  private readonly listeners = new Set<(s: GrantSnapshot, prev: GrantSnapshot) => void>();

  get snapshot(): GrantSnapshot {
    return this.state;
  }

  get grant(): Grant {
    return this.state.grant;
  }

  /** Pixels may leave the machine. */
  get sharing(): boolean {
    return this.state.grant !== 'none';
  }

  /** Input from this rep may be applied. */
  allowsInput(repId: string | undefined): boolean {
    return this.state.grant === 'control' && repId !== undefined && this.state.reps.includes(repId);
  }

  set(grant: Grant, reps: string[], apps: string[] | null = null): void {
    const prev = this.state;
    this.state = { grant, epoch: prev.epoch + 1, reps: grant === 'none' ? [] : [...reps], apps: grant === 'none' ? null : apps };
    for (const l of this.listeners) l(this.state, prev);
  }

  onChange(l: (s: GrantSnapshot, prev: GrantSnapshot) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
