// Reps and teams, cached in memory (a few hundred rows at most) and reloaded after admin changes.
// Also holds who is online and their availability, which is runtime-only state.
import type { RepProfile } from '../../protocol/index.ts';
import type { LiveSettings } from '../settings/live-settings.ts';
import type { RepRow, Store, TeamRow } from '../store/store.ts';

export type Availability = 'available' | 'busy' | 'away' | 'offline';

export class Directory {
  reps = new Map<string, RepRow>();
  teams = new Map<string, TeamRow>();
  /** repId → team ids */
  repTeams = new Map<string, Set<string>>();
  /** Chosen availability of reps with at least one console open. */
  private chosen = new Map<string, Exclude<Availability, 'offline'>>();
  private online = new Map<string, number>();
  /** Several nodes: reps with a console open on each other node (docs/ARCHITECTURE.md, "Several nodes"). */
  private readonly elsewhere = new Map<string, Set<string>>();
  /** Several nodes: told when who is online here, or a chosen availability, changes. */
  onlineChanged: (() => void) | null = null;

  constructor(private readonly store: Store, private readonly settings: LiveSettings) {}

  async reload(): Promise<void> {
    const [reps, teams, links] = await Promise.all([this.store.listReps(), this.store.listTeams(), this.store.listRepTeams()]);
    this.reps = new Map(reps.map((r) => [r.id, r]));
    this.teams = new Map(teams.map((t) => [t.id, t]));
    this.repTeams = new Map();
    for (const l of links) {
      if (!this.repTeams.has(l.rep_id)) this.repTeams.set(l.rep_id, new Set());
      this.repTeams.get(l.rep_id)!.add(l.team_id);
    }
  }

  teamsOf(repId: string): string[] {
    return [...(this.repTeams.get(repId) ?? [])];
  }
  repName(repId: string): string {
    return this.reps.get(repId)?.name ?? 'Representative';
  }
  teamName(teamId: string | null | undefined): string {
    return (teamId && this.teams.get(teamId)?.name) || 'Team';
  }

  profile(rep: RepRow): RepProfile {
    return {
      id: rep.id,
      username: rep.username,
      name: rep.name,
      isAdmin: rep.is_admin === 1,
      teams: this.teamsOf(rep.id).map((id) => ({ id, name: this.teamName(id) })),
      survey: this.settings.get().surveys.rep,
      fileMaxBytes: this.settings.get().files.maxBytes,
    };
  }

  connected(repId: string): void {
    this.online.set(repId, (this.online.get(repId) ?? 0) + 1);
    this.onlineChanged?.();
  }
  disconnected(repId: string): void {
    const n = (this.online.get(repId) ?? 1) - 1;
    if (n <= 0) this.online.delete(repId);
    else this.online.set(repId, n);
    this.onlineChanged?.();
  }
  setAvailability(repId: string, a: Exclude<Availability, 'offline'>): void {
    this.chosen.set(repId, a);
    this.onlineChanged?.();
  }
  availability(repId: string): Availability {
    if (!this.online.has(repId) && ![...this.elsewhere.values()].some((reps) => reps.has(repId))) return 'offline';
    return this.chosen.get(repId) ?? 'available';
  }

  /** Several nodes: the reps online here and what each chose (null: never chose here, the default). */
  onlineHere(): [string, Exclude<Availability, 'offline'> | null][] {
    return [...this.online.keys()].map((id) => [id, this.chosen.get(id) ?? null]);
  }
  /** Several nodes: another node's reps online (empty: it holds none, or stopped); a choice made there holds here too. */
  onlineOn(node: string, reps: [string, Exclude<Availability, 'offline'> | null][]): void {
    if (reps.length === 0) this.elsewhere.delete(node);
    else this.elsewhere.set(node, new Set(reps.map(([id]) => id)));
    for (const [id, chosen] of reps) if (chosen) this.chosen.set(id, chosen);
  }
  repList(): { id: string; name: string; availability: Availability }[] {
    return [...this.reps.values()].filter((r) => r.disabled !== 1).map((r) => ({ id: r.id, name: r.name, availability: this.availability(r.id) }));
  }
}
