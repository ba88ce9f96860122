// Canned messages: replies reps insert in the chat, for everyone or one team.
import { useEffect, useState } from 'preact/hooks';
import type { CannedMessage } from '../../../protocol/index.ts';
import { toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { cannedAll, errorsOf, failed, loadCannedAll, teamName, teams } from '../../admin/state.ts';
import { Field, FormError } from './Field.tsx';

function CannedForm({ msg, done }: { msg: CannedMessage | null; done: () => void }) {
  const [f, setF] = useState({ title: msg?.title ?? '', text: msg?.text ?? '', teamId: msg?.teamId ?? null });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      if (msg) await adminApi.updateCanned(msg.id, f);
      else await adminApi.createCanned(f);
      await loadCannedAll();
      toast(`"${f.title}" saved.`);
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={save} aria-labelledby="canned-form-h">
      <h3 id="canned-form-h">{msg ? `Edit "${msg.title}"` : 'New canned message'}</h3>
      <Field id="canned-title" label="Title" error={errors.title} hint="What reps see in the list.">{(a) => <input {...a} value={f.title} required onInput={(e) => setF({ ...f, title: e.currentTarget.value })} />}</Field>
      <Field id="canned-text" label="Message" error={errors.text}>{(a) => <textarea {...a} rows={4} value={f.text} required onInput={(e) => setF({ ...f, text: e.currentTarget.value })} />}</Field>
      <Field id="canned-team" label="For" error={errors.teamId}>
        {(a) => (
          <select {...a} value={f.teamId ?? ''} onChange={(e) => setF({ ...f, teamId: e.currentTarget.value || null })}>
            <option value="">Everyone</option>
            {teams.value.map((t) => <option key={t.id} value={t.id}>Team {t.name}</option>)}
          </select>
        )}
      </Field>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">Save message</button><button type="button" onClick={done}>Cancel</button></div>
    </form>
  );
}

export function CannedAdmin() {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  useEffect(() => { void loadCannedAll(); }, []);
  const remove = async (m: CannedMessage) => {
    try {
      await adminApi.deleteCanned(m.id);
      await loadCannedAll();
    } catch (x) { failed(x); }
  };
  const msg = cannedAll.value.find((m) => m.id === editing) ?? null;
  return (
    <section class="admin-section" aria-labelledby="canned-h">
      <div class="row"><h2 id="canned-h" class="grow">Canned messages</h2><button class="primary" onClick={() => setEditing('new')}>Add canned message</button></div>
      <p class="muted small">Reps insert them in the chat with the Canned button, or by typing / at the start of a message.</p>
      {editing && <CannedForm key={editing} msg={msg} done={() => setEditing(null)} />}
      <table class="grid">
        <thead><tr><th>Title</th><th>Message</th><th>For</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {cannedAll.value.map((m) => (
            <tr key={m.id}>
              <td>{m.title}</td><td class="clip">{m.text}</td><td>{m.teamId ? `Team ${teamName(m.teamId)}` : 'Everyone'}</td>
              <td class="actions">
                <button class="small" onClick={() => setEditing(m.id)} aria-label={`Edit ${m.title}`}>Edit</button>{' '}
                <button class="small" onClick={() => void remove(m)} aria-label={`Delete ${m.title}`}>Delete</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {cannedAll.value.length === 0 && <p class="muted empty">None yet.</p>}
    </section>
  );
}
