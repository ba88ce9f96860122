// The public portal: enter a session key, or submit an issue to a rep or the general queue.
import { useEffect, useState } from 'preact/hooks';
import type { PortalInfo } from '../protocol/http.ts';
import { normalizeKey } from '../protocol/session-key.ts';
import { api, joinError, type Creds } from './lib/api.ts';
import { platformName } from './lib/platform.ts';

export function Portal({ onJoined, resume, initialKey = '' }: { onJoined: (c: Creds) => void; resume: (() => void) | null; initialKey?: string }) {
  const [info, setInfo] = useState<PortalInfo | null>(null);
  const [key, setKey] = useState(initialKey);
  const [err, setErr] = useState<string | null>(null);
  const [issueErr, setIssueErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ name: '', company: '', issue: '', description: '', to: '' });
  useEffect(() => { api.portal().then(setInfo, () => setInfo({ companyName: 'Support', reps: [], teams: [], issueCategories: [] })); }, []);
  useEffect(() => { if (info) document.title = `${info.companyName} support`; }, [info]);

  const join = async (e: Event) => {
    e.preventDefault();
    const k = normalizeKey(key);
    if (!k) { setErr('Enter the session key your representative gave you.'); return; }
    setBusy(true); setErr(null);
    try {
      const r = await api.join({ key: k, role: 'customer', platform: platformName() });
      onJoined({ token: r.token, sessionId: r.sessionId });
    } catch (x) { setErr(joinError(x)); setBusy(false); }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!form.name.trim()) { setIssueErr('Please enter your name.'); return; }
    setBusy(true); setIssueErr(null);
    const [kind, id] = form.to.split(':');
    try {
      const r = await api.submit({
        name: form.name.trim(), company: form.company.trim(), issue: form.issue, description: form.description.trim(), platform: platformName(),
        ...(kind === 'rep' ? { repId: id } : kind === 'team' ? { teamId: id } : {}),
      });
      onJoined({ token: r.token, sessionId: r.sessionId });
    } catch (x) { setIssueErr(joinError(x)); setBusy(false); }
  };
  const field = (k: keyof typeof form) => ({ value: form[k], onInput: (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value }) });

  return (
    <div class="app portal">
      <header class="top"><h1>{info?.companyName ?? 'Support'} <span class="sub">support portal</span></h1></header>
      <main class="main">
        {resume && (
          <section class="card" aria-label="Your session">
            <p>You have a support session open in this tab.</p>
            <button type="button" class="primary" onClick={resume}>Return to your session</button>
          </section>
        )}
        <form class="card" onSubmit={join} aria-labelledby="key-h">
          <h2 id="key-h">Have a session key?</h2>
          <label for="session-key">Session key</label>
          <div class="row">
            <input id="session-key" name="key" autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={20}
              placeholder="e.g. XRR5363" value={key} onInput={(e) => setKey(e.currentTarget.value)} aria-invalid={!!err} aria-describedby="key-err" />
            <button type="submit" class="primary" disabled={busy}>Start</button>
          </div>
          <p id="key-err" class="error" role="alert">{err ?? ''}</p>
        </form>
        <form class="card issue" onSubmit={submit} aria-labelledby="issue-h">
          <h2 id="issue-h">Or describe your issue</h2>
          <label for="f-name">Your name</label>
          <input id="f-name" required maxLength={200} autoComplete="name" {...field('name')} />
          <label for="f-company">Company</label>
          <input id="f-company" maxLength={200} autoComplete="organization" {...field('company')} />
          <label for="f-issue">Issue category</label>
          <select id="f-issue" {...field('issue')}>
            <option value="">Choose…</option>
            {info?.issueCategories.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
          <label for="f-desc">Description</label>
          <textarea id="f-desc" rows={4} maxLength={4000} {...field('description')} />
          <label for="f-to">Representative</label>
          <select id="f-to" {...field('to')}>
            <option value="">General queue (first available)</option>
            {info?.teams.map((t) => <option key={t.id} value={`team:${t.id}`}>Team: {t.name}</option>)}
            {info?.reps.map((r) => <option key={r.id} value={`rep:${r.id}`}>{r.name}</option>)}
          </select>
          <p class="error" role="alert">{issueErr ?? ''}</p>
          <button type="submit" class="primary" disabled={busy}>Start chat</button>
        </form>
      </main>
    </div>
  );
}
