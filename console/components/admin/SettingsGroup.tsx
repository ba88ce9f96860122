// One group of site settings as its own form: edits a draft of its keys and saves only them
// (PUT /api/admin/settings is partial), showing each refused field beside it.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { SettingKey, SiteSettings } from '../../../protocol/index.ts';
import { toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { errorsOf, settings } from '../../admin/state.ts';
import { FormError } from './Field.tsx';
import { t } from '../../i18n.ts';

export interface GroupApi {
  draft: SiteSettings;
  set: (patch: Partial<SiteSettings>) => void;
  errors: Record<string, string>;
}

/** `id` names the group's words in the catalogue (settings.<id>.title / .save / .saved). */
export function SettingsGroup({ id, keys, children }: { id: string; keys: SettingKey[]; children: (g: GroupApi) => ComponentChildren }) {
  const title = t(`settings.${id}.title`);
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
      toast(t(`settings.${id}.saved`));
    } catch (x) { setErrors(errorsOf(x)); }
    setSaving(false);
  };
  return (
    <form class="card admin-form settings-group" onSubmit={save} aria-labelledby={`${id}-h`} data-group={id}>
      <h3 id={`${id}-h`}>{title}</h3>
      {children({ draft, set: (patch) => setDraft({ ...draft, ...patch }), errors })}
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit" disabled={saving}>{saving ? t('settings.saving') : t(`settings.${id}.save`)}</button></div>
    </form>
  );
}

/** A whole number from an input (an empty or odd entry becomes NaN, which the server names). */
export const num = (e: Event) => Number((e.currentTarget as HTMLInputElement).value);
/** One entry per line, blank lines dropped. */
export const lines = (e: Event) => (e.currentTarget as HTMLTextAreaElement).value.split('\n').map((l) => l.trim()).filter(Boolean);
