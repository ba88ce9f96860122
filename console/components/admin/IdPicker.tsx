// Checkboxes for a set of ids (a rep's teams, a team's members), in a labelled group.
import { t } from '../../i18n.ts';
export function IdPicker({ legend, options, value, onChange }: { legend: string; options: { id: string; name: string }[]; value: string[]; onChange: (ids: string[]) => void }) {
  return (
    <fieldset class="picker">
      <legend>{legend}</legend>
      {options.length === 0 && <span class="muted small">{t('admin.noneYet')}</span>}
      {options.map((o) => (
        <label key={o.id} class="check">
          <input type="checkbox" checked={value.includes(o.id)} onChange={(e) => onChange(e.currentTarget.checked ? [...value, o.id] : value.filter((x) => x !== o.id))} />
          <bdi>{o.name}</bdi>
        </label>
      ))}
    </fieldset>
  );
}
