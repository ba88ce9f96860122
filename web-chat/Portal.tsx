// The public portal: enter a session key, or submit an issue to a rep or the general queue.
import { useEffect, useState } from 'preact/hooks';
import type { PortalInfo } from '../protocol/http.ts';
import { normalizeKey } from '../protocol/session-key.ts';
import { api, joinError, type Creds } from './lib/api.ts';
import { platformName } from './lib/platform.ts';
import { t } from './lib/i18n.ts';
import { language } from './lib/i18n.ts';
import { LanguagePicker } from './components/LanguagePicker.tsx';

const NAME_MAX = 80;

/** The customer's name for a key or link session, when the site asks (portal `askName`, default on). */
function NameField({ id, value, set, invalid }: { id: string; value: string; set: (v: string) => void; invalid: boolean }) {
  return (
    <>
      <label for={id}>{t('portal.yourName')}</label>
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
    if (!name.trim()) { setErr(t('portal.nameRequired')); document.getElementById('link-name')?.focus(); return; }
    setBusy(true); setErr(null);
    try {
      const r = await api.join({ accessKey, role: 'customer', name: name.trim(), platform: platformName(), language: language.value });
      onJoined({ token: r.token, sessionId: r.sessionId });
    } catch (x) { onFailed(joinError(x)); }
  };
  return (
    <div class="app portal">
      <header class="top"><h1>{companyName} <span class="sub">{t('header.support')}</span></h1></header>
      <main class="main">
        <form class="card" onSubmit={submit} aria-labelledby="link-h" noValidate>
          <h2 id="link-h">{t('portal.beforeStart')}</h2>
          <p>{t('portal.nameSeen')}</p>
          <NameField id="link-name" value={name} set={setName} invalid={!!err} />
          <p class="error" role="alert">{err ?? ''}</p>
          <button type="submit" class="primary" disabled={busy}>{t('portal.start')}</button>
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
  useEffect(() => { api.portal().then(setInfo, () => setInfo({ companyName: t('portal.defaultCompany'), reps: [], teams: [], issueCategories: [] })); }, []);
  useEffect(() => { if (info) document.title = t('portal.pageTitle', { company: info.companyName }); }, [info, language.value]);

  const join = async (e: Event) => {
    e.preventDefault();
    const k = normalizeKey(key);
    if (!k) { setErr(t('portal.keyRequired')); return; }
    if (askName && !keyName.trim()) { setErr(t('portal.nameRequired')); setNameErr(true); document.getElementById('key-name')?.focus(); return; }
    setBusy(true); setErr(null); setNameErr(false);
    try {
      const r = await api.join({ key: k, role: 'customer', platform: platformName(), language: language.value, ...(askName ? { name: keyName.trim() } : {}) });
      onJoined({ token: r.token, sessionId: r.sessionId });
    } catch (x) { setErr(joinError(x)); setBusy(false); }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!form.name.trim()) { setIssueErr(t('portal.nameRequired')); return; }
    setBusy(true); setIssueErr(null);
    const [kind, id] = form.to.split(':');
    try {
      const r = await api.submit({
        name: form.name.trim(), company: form.company.trim(), issue: form.issue, description: form.description.trim(), platform: platformName(), language: language.value,
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
      <header class="top"><h1>{info?.companyName ?? t('portal.defaultCompany')} <span class="sub">{t('portal.subtitle')}</span></h1>
        <LanguagePicker id="portal-lang" /></header>
      <main class="main">
        {info?.message && <p class="card portal-message" dir="auto">{info.message}</p>}
        {resume && (
          <section class="card" aria-label={t('portal.yourSession')}>
            <p>{t('portal.openSession')}</p>
            <button type="button" class="primary" onClick={resume}>{t('portal.returnToSession')}</button>
          </section>
        )}
        <form class="card" onSubmit={join} aria-labelledby="key-h" noValidate>
          <h2 id="key-h">{t('portal.haveKey')}</h2>
          <label for="session-key">{t('portal.sessionKey')}</label>
          <div class="row">
            <input id="session-key" name="key" autoComplete="off" autoCapitalize="characters" spellcheck={false} maxLength={20}
              placeholder={t('portal.keyExample', { example: 'XRR5363' })} value={key} onInput={(e) => setKey(e.currentTarget.value)} aria-invalid={!!err && !nameErr} aria-describedby="key-err" />
            {!askName && <button type="submit" class="primary" disabled={busy}>{t('portal.start')}</button>}
          </div>
          {askName && (
            <>
              <NameField id="key-name" value={keyName} set={setKeyName} invalid={nameErr} />
              <div class="row"><button type="submit" class="primary" disabled={busy}>{t('portal.start')}</button></div>
            </>
          )}
          <p id="key-err" class="error" role="alert">{err ?? ''}</p>
        </form>
        <form class="card issue" onSubmit={submit} aria-labelledby="issue-h">
          <h2 id="issue-h">{t('portal.describeIssue')}</h2>
          <label for="f-name">{t('portal.name')}</label>
          <input id="f-name" required maxLength={200} autoComplete="name" {...field('name')} />
          <label for="f-company">{t('portal.company')}</label>
          <input id="f-company" maxLength={200} autoComplete="organization" {...field('company')} />
          <label for="f-issue">{t('portal.category')}</label>
          <select id="f-issue" {...field('issue')}>
            <option value="">{t('portal.choose')}</option>
            {info?.issueCategories.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
          <label for="f-desc">{t('portal.description')}</label>
          <textarea id="f-desc" rows={4} maxLength={4000} {...field('description')} />
          <label for="f-to">{t('portal.representative')}</label>
          <select id="f-to" {...field('to')}>
            <option value="">{t('portal.generalQueue')}</option>
            {info?.teams.map((team) => <option key={team.id} value={`team:${team.id}`}>{t('portal.team', { team: team.name })}</option>)}
            {info?.reps.map((r) => <option key={r.id} value={`rep:${r.id}`}>{r.name}</option>)}
          </select>
          <p class="error" role="alert">{issueErr ?? ''}</p>
          <button type="submit" class="primary" disabled={busy}>{t('portal.startChat')}</button>
        </form>
      </main>
    </div>
  );
}
