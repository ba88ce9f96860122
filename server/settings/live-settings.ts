// The site settings as they are now (docs/ARCHITECTURE.md, "Administration"). The store holds
// them; the config file seeds each key the store doesn't have yet, and after that the store wins:
// a later change of a seeded key in the file is logged as ignored (once per change). Everything
// that reads a site setting reads `get()` when it needs it, so a change applies to the next
// session (its welcome, its timers, its portal page) without a restart; listeners hear of changes
// that need more than a read (a timer's period, the system actor's name).
import * as v from 'valibot';
import { fieldErrors, SETTING_KEYS, SettingsPatch, SiteSettings, SiteSettingsEntries, type FieldError, type SettingKey } from '../../protocol/index.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';

/** One key's change, for the audit log: `before` and `after` are the whole values. */
export interface SettingChange { key: SettingKey; before: unknown; after: unknown }

export type SettingsCheck = { ok: true; patch: SettingsPatch } | { ok: false; errors: FieldError[] };

/** The settings part of a config: exactly the keys of protocol/settings.ts. */
export function settingsOf(config: Config): SiteSettings {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, config[k]])) as SiteSettings;
}

export class LiveSettings {
  private listeners: ((now: SiteSettings, changed: SettingKey[]) => void)[] = [];

  private constructor(private readonly store: Store, private current: SiteSettings) {}

  /** Reads the store, seeding the keys it lacks from the config (and saying which file changes it ignores). */
  static async load(store: Store, config: Config, log: (line: string) => void = console.log): Promise<LiveSettings> {
    const fromFile = settingsOf(config);
    const rows = new Map((await store.settings.all()).map((r) => [r.key, r]));
    const current: Record<string, unknown> = {};
    const now = Date.now();
    for (const key of SETTING_KEYS) {
      const file = JSON.stringify(fromFile[key]);
      const row = rows.get(key);
      if (!row) {
        await store.settings.insert({ key, value: file, seen: file, updated_at: now, updated_by: null });
        current[key] = fromFile[key];
        continue;
      }
      const stored = v.safeParse(SiteSettingsEntries[key], JSON.parse(row.value));
      if (!stored.success) {
        // A value an older version accepted and this one doesn't: the file's value serves instead.
        log(`bridge: the stored setting ${key} is no longer valid (${fieldErrors(stored.issues)[0]?.message}); using the config file's value until an administrator saves it again`);
        current[key] = fromFile[key];
      } else current[key] = stored.output;
      if (row.seen !== file) {
        if (row.value !== file) log(`bridge: the configured ${key} (config file or default) changed, but the stored setting wins (change it in the console: Admin → Settings)`);
        await store.settings.markSeen(key, file);
      }
    }
    return new LiveSettings(store, current as SiteSettings);
  }

  get(): SiteSettings {
    return this.current;
  }

  /** Checks a partial update: every field's problem, by its dotted path. */
  static check(input: unknown): SettingsCheck {
    const r = v.safeParse(SettingsPatch, input);
    return r.success ? { ok: true, patch: r.output } : { ok: false, errors: fieldErrors(r.issues) };
  }

  /** Stores the keys that differ and makes them current; returns what changed (nothing: no write). */
  async update(patch: SettingsPatch, by: string | null): Promise<SettingChange[]> {
    const changes: SettingChange[] = [];
    for (const key of Object.keys(patch) as SettingKey[]) {
      const after = patch[key];
      if (after === undefined || JSON.stringify(after) === JSON.stringify(this.current[key])) continue;
      changes.push({ key, before: this.current[key], after });
    }
    if (!changes.length) return changes;
    await this.store.settings.put(Object.fromEntries(changes.map((c) => [c.key, JSON.stringify(c.after)])), by, Date.now());
    this.current = { ...this.current, ...Object.fromEntries(changes.map((c) => [c.key, c.after])) };
    const keys = changes.map((c) => c.key);
    for (const l of this.listeners) l(this.current, keys);
    return changes;
  }

  onChange(listener: (now: SiteSettings, changed: SettingKey[]) => void): void {
    this.listeners.push(listener);
  }
}
