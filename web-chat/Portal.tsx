// The public portal: enter a session key, or submit an issue to a rep or the general queue.
import { useEffect, useState } from 'preact/hooks';
import type { PortalInfo } from '../protocol/http.ts';
import { normalizeKey } from '../protocol/session-key.ts';
import { api, joinError, type Creds } from './lib/api.ts';
import { platformName } from './lib/platform.ts';

const NAME_MAX = 80;

/** The customer's name for a key or link session, when the site asks (portal `askName`, default on). */
function NameField({ id, value, set, invalid }: { id: string; value: string; set: (v: string) => void; invalid: boolean }) {
  return (
    <>
      <label for={id}>Your name</label>
      <input id={id} name="name" required maxLength={NAME_MAX} autoComplete="name" value={value} aria-invalid={invalid}
        onInput={(e) => set(e.currentTarget.value)} />
    </>
  );
}

/**
 * A session link (/s/<accessKey>) when the site asks for the customer's name: the name first,
 * then the join, so the rep sees it in the queue and History instead of "Customer".
 */
export function LinkJoin({ accessKey, companyName, onJoined, onFailed }: { accessKey: string; companyName: string; onJoined: (c: Creds) => void; onFailed: (message: string) => void }) {
  const [name, setName] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { document.getElementById('link-name')?.focus(); }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) { setErr('Please enter your name.'); document.getElementById('link-name')?.focus(); return; }
    setBusy(true); setErr(null);
    try {
      const r = await api.join({ accessKey, role: 'customer', name: name.trim(), platform: platformName() });
      onJoined({ token: r.token, sessionId: r.sessionId });
    } catch (x) { onFailed(joinError(x)); }
  };
  return (
    <div class="app portal">
      <header class="top"><h1>{companyName} <span class="sub">support</span></h1></header>
      <main class="main">
        <form class="card" onSubmit={submit} aria-labelledby="link-h" noValidate>
          <h2 id="link-h">Before we start</h2>
          <p>Your representative will see this name.</p>
          <NameField id="link-name" value={name} set={setName} invalid={!!err} />
          <p class="error" role="alert">{err ?? ''}</p>
          <button type="submit" class="primary" disabled={busy}>Start</button>
        </form>
      </main>
    </div>
  );
}

export function Portal({ onJoined, resume, initialKey = '' }: { onJoined: (c: Creds) => void; resume: (() => void) | null; initialKey?: string }) {
  const [info, setInfo] = useState<PortalInfo | null>(null);
  const [key, setKey] = useState(initialKey);
  const [keyName, setKeyName] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [nameErr, setNameErr] = useState(false);
  const [issueErr, setIssueErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ name: '', company: '', issue: '', description: '', to: '' });
  useEffect(() => { api.portal().then(setInfo, () => setInfo({ companyName: 'Support', reps: [], teams: [], issueCategories: [] })); }, []);
  useEffect(() => { if (info) document.title = `${info.companyName} support`; }, [info]);

  const join = async (e: Event) => {
    e.preventDefault();
    const k = normalizeKey(key);
    if (!k) { setErr('Enter the session key your representative gave you.'); return; }
    if (askName && !keyName.trim()) { setErr('Please enter your name.'); setNameErr(true); document.getElementById('key-name')?.focus(); return; }
    setBusy(true); setErr(null); setNameErr(false);
    try {
      const r = await api.join({ key: k, role: 'customer', platform: platformName(), ...(askName ? { name: keyName.trim() } : {}) });
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
  // Asked unless the site turned it off (an older server says nothing: ask).
  const askName = info?.askName ?? true;
  const field = (k: keyof typeof form) => ({ value: form[k], onInput: (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value }) });

  return (
    <div class="app portal">
      <header class="top"><h1>{info?.companyName ?? 'Support'} <span class="sub">support portal</span></h1></header>
      <main class="main">
        {info?.message && <p class="card portal-message" dir="auto">{info.message}</p>}
        {resume && (
          <section class="card" aria-label="Your session">
            <p>You have a support session open in this tab.</p>
            <button type="button" class="primary" onClick={resume}>Return to your session</button>
          </section>
        )}
        <form class="card" onSubmit={join} aria-labelledby="key-h" noValidate>
          <h2 id="key-h">Have a session key?</h2>
          <label for="session-key">Session key</label>
          <div class="row">
            <input id="session-key" name="key" autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={20}
              placeholder="e.g. XRR5363" value={key} onInput={(e) => setKey(e.currentTarget.value)} aria-invalid={!!err && !nameErr} aria-describedby="key-err" />
            {!askName && <button type="submit" class="primary" disabled={busy}>Start</button>}
          </div>
          {askName && (
            <>
              <NameField id="key-name" value={keyName} set={setKeyName} invalid={nameErr} />
              <div class="row"><button type="submit" class="primary" disabled={busy}>Start</button></div>
            </>
          )}
          <p id="key-err" class="error" role="alert">{err ?? ''}</p>
        </form>
        <form class="card issue" onSubmit={submit} aria-labelledby="issue-h">
          <h2 id="issue-h">Or describe your issue</h2>
          <label for="f-name">Name</label>
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
