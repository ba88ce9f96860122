// Teams: create, rename, choose members, delete (refused while sessions wait in its queue).
import { useState } from 'preact/hooks';
import type { AdminTeam } from '../../../protocol/index.ts';
import { toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { errorsOf, failed, loadDirectory, reps, teams } from '../../admin/state.ts';
import { Field, FormError } from './Field.tsx';
import { IdPicker } from './IdPicker.tsx';
import { t } from '../../i18n.ts';

function TeamForm({ team }: { team: AdminTeam }) {
  const [f, setF] = useState({ name: team.name, repIds: team.repIds });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await adminApi.updateTeam(team.id, f);
      setErrors({});
      toast(t('common.saved', { name: f.name }));
      await loadDirectory();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  const remove = async () => {
    try {
      await adminApi.deleteTeam(team.id);
      toast(t('common.deleted', { name: team.name }));
      await loadDirectory();
    } catch (x) { failed(x); }
  };
  return (
    <form class="card admin-form" onSubmit={save} aria-label={t('teams.team', { name: team.name })}>
      <Field id={`team-${team.id}-name`} label={t('teams.name')} error={errors.name}>
        {(a) => <input {...a} value={f.name} required onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend={t('teams.members')} options={reps.value.filter((r) => !r.disabled)} value={f.repIds} onChange={(repIds) => setF({ ...f, repIds })} />
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">{t('teams.save')}</button><button type="button" class="danger" onClick={() => void remove()}>{t('teams.delete')}</button></div>
    </form>
  );
}

export function TeamsAdmin() {
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      await adminApi.createTeam(name);
      setName('');
      setErrors({});
      await loadDirectory();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <section class="admin-section" aria-labelledby="teams-h">
      <h2 id="teams-h">{t('transfer.teams')}</h2>
      <form class="card admin-form" onSubmit={create} aria-label={t('teams.new')}>
        <Field id="new-team-name" label={t('teams.new')} error={errors.name}>
          {(a) => <div class="row"><input {...a} value={name} required onInput={(e) => setName(e.currentTarget.value)} /><button class="primary" type="submit">{t('teams.create')}</button></div>}
        </Field>
        <FormError errors={errors} />
      </form>
      {teams.value.map((tm) => <TeamForm key={`${tm.id}:${tm.name}:${tm.repIds.join()}`} team={tm} />)}
    </section>
  );
}
