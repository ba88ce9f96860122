// One group of site settings as its own form: edits a draft of its keys and saves only them
// (PUT /api/admin/settings is partial), showing each refused field beside it.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { SettingKey, SiteSettings } from '../../../protocol/index.ts';
import { toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { errorsOf, settings } from '../../admin/state.ts';
import { FormError } from './Field.tsx';

export interface GroupApi {
  draft: SiteSettings;
  set: (patch: Partial<SiteSettings>) => void;
  errors: Record<string, string>;
}

export function SettingsGroup({ id, title, keys, children }: { id: string; title: string; keys: SettingKey[]; children: (g: GroupApi) => ComponentChildren }) {
  const [draft, setDraft] = useState<SiteSettings>(settings.value!);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    try {
      const r = await adminApi.saveSettings(Object.fromEntries(keys.map((k) => [k, draft[k]])));
      settings.value = r.settings;
      setErrors({});
      toast(`${title} saved: new sessions get them now.`);
    } catch (x) { setErrors(errorsOf(x)); }
    setSaving(false);
  };
  return (
    <form class="card admin-form settings-group" onSubmit={save} aria-labelledby={`${id}-h`} data-group={id}>
      <h3 id={`${id}-h`}>{title}</h3>
      {children({ draft, set: (patch) => setDraft({ ...draft, ...patch }), errors })}
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit" disabled={saving}>{saving ? 'Saving…' : `Save ${title.toLowerCase()}`}</button></div>
    </form>
  );
}

/** A whole number from an input (an empty or odd entry becomes NaN, which the server names). */
export const num = (e: Event) => Number((e.currentTarget as HTMLInputElement).value);
/** One entry per line, blank lines dropped. */
export const lines = (e: Event) => (e.currentTarget as HTMLTextAreaElement).value.split('\n').map((l) => l.trim()).filter(Boolean);
