// First start and config seeding: the admin user, and the teams and reps named in the config.
import type { Config } from './config.ts';
import { hashPassword, newId, randomToken, verifyPassword } from './secrets.ts';
import type { Store } from './store/store.ts';

/** Creates `admin` when there is none. Returns the password when it was generated (print it once). */
export async function ensureAdmin(store: Store, envPassword: string | null): Promise<string | null> {
  const existing = await store.getRepByUsername('admin');
  if (existing) {
    // An explicit BRIDGE_ADMIN_PASSWORD always wins: it is also the way to recover a lost password.
    if (envPassword && !(await verifyPassword(envPassword, existing.password_hash))) {
      await store.updateRep(existing.id, { password_hash: await hashPassword(envPassword) });
    }
    return null;
  }
  const password = envPassword ?? randomToken(12);
  await store.createRep({ id: newId(), username: 'admin', name: 'Administrator', password_hash: await hashPassword(password), is_admin: 1, created_at: Date.now() });
  return envPassword ? null : password;
}

/** Teams and reps from the config exist after start; configured passwords are kept in sync. */
export async function seedFromConfig(store: Store, config: Config): Promise<void> {
  const teamIds = new Map<string, string>();
  const wanted = new Set([...config.teams.map((t) => t.name), ...config.reps.flatMap((r) => r.teams ?? [])]);
  for (const name of wanted) {
    let team = await store.getTeamByName(name);
    if (!team) {
      team = { id: newId(), name, created_at: Date.now() };
      await store.createTeam(team);
    }
    teamIds.set(name, team.id);
  }
  for (const r of config.reps) {
    let rep = await store.getRepByUsername(r.username);
    if (!rep) {
      const id = newId();
      await store.createRep({ id, username: r.username, name: r.name ?? r.username, password_hash: await hashPassword(r.password), is_admin: r.isAdmin ? 1 : 0, created_at: Date.now() });
      rep = await store.getRep(id);
    } else {
      const patch: { name?: string; is_admin?: number; password_hash?: string } = {};
      if (r.name && r.name !== rep.name) patch.name = r.name;
      if (r.isAdmin !== undefined && (r.isAdmin ? 1 : 0) !== rep.is_admin) patch.is_admin = r.isAdmin ? 1 : 0;
      if (!(await verifyPassword(r.password, rep.password_hash))) patch.password_hash = await hashPassword(r.password);
      if (Object.keys(patch).length) await store.updateRep(rep.id, patch);
    }
    for (const t of r.teams ?? []) await store.addRepToTeam(rep!.id, teamIds.get(t)!);
  }
}
