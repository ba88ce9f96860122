// Site settings, grouped as an administrator thinks of them: portal, sessions, agreement,
// recording, surveys (with a preview as the customer sees it), notices. Each group saves alone.
import { useEffect } from 'preact/hooks';
import { loadSettings, settings } from '../../admin/state.ts';
import { Field } from './Field.tsx';
import { lines, num, SettingsGroup } from './SettingsGroup.tsx';
import { SurveysEditor } from './SurveysEditor.tsx';

const MiB = 1024 * 1024;

export function SettingsAdmin() {
  useEffect(() => { void loadSettings(); }, []);
  if (!settings.value) return <p class="muted">Loading settings…</p>;
  return (
    <section class="admin-section" aria-labelledby="settings-h">
      <h2 id="settings-h">Settings</h2>
      <p class="muted small">Changes apply to new sessions at once; sessions already running keep what they started with.</p>
      <SettingsGroup id="portal" title="Portal" keys={['companyName', 'portalMessage', 'issueCategories', 'keySessionsAskName']}>
        {({ draft, set, errors }) => (
          <>
            <Field id="set-company" label="Company name" error={errors.companyName}>{(a) => <input {...a} value={draft.companyName} onInput={(e) => set({ companyName: e.currentTarget.value })} />}</Field>
            <Field id="set-portal-message" label="Portal message" error={errors.portalMessage} hint="Shown on the portal above its forms; leave empty for none.">
              {(a) => <textarea {...a} rows={2} value={draft.portalMessage} onInput={(e) => set({ portalMessage: e.currentTarget.value })} />}
            </Field>
            <Field id="set-categories" label="Issue categories" error={errors.issueCategories} hint="One per line.">
              {(a) => <textarea {...a} rows={4} value={draft.issueCategories.join('\n')} onChange={(e) => set({ issueCategories: lines(e) })} />}
            </Field>
            <label class="check"><input type="checkbox" checked={draft.keySessionsAskName} onChange={(e) => set({ keySessionsAskName: e.currentTarget.checked })} /> Ask the customer's name when they join with a session key or link</label>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="sessions" title="Sessions" keys={['sessionKeys', 'queueMessageIntervalSec', 'orphan', 'watermark', 'files']}>
        {({ draft, set, errors }) => (
          <>
            <div class="field-row">
              <Field id="set-key-validity" label="Session key valid for (minutes)" error={errors['sessionKeys.validityMin']}>{(a) => <input {...a} type="number" min={1} value={draft.sessionKeys.validityMin} onInput={(e) => set({ sessionKeys: { ...draft.sessionKeys, validityMin: num(e) } })} />}</Field>
              <Field id="set-key-max" label="Longest a rep may choose (minutes)" error={errors['sessionKeys.maxValidityMin']}>{(a) => <input {...a} type="number" min={1} value={draft.sessionKeys.maxValidityMin} onInput={(e) => set({ sessionKeys: { ...draft.sessionKeys, maxValidityMin: num(e) } })} />}</Field>
              <Field id="set-agent-validity" label="Screen-sharing download valid for (seconds)" error={errors['sessionKeys.agentValiditySec']}>{(a) => <input {...a} type="number" min={1} value={draft.sessionKeys.agentValiditySec} onInput={(e) => set({ sessionKeys: { ...draft.sessionKeys, agentValiditySec: num(e) } })} />}</Field>
            </div>
            <div class="field-row">
              <Field id="set-queue-interval" label="Queue message every (seconds)" error={errors.queueMessageIntervalSec}>{(a) => <input {...a} type="number" min={1} value={draft.queueMessageIntervalSec} onInput={(e) => set({ queueMessageIntervalSec: num(e) })} />}</Field>
              <Field id="set-orphan" label="Unanswered after (seconds)" error={errors['orphan.timeoutSec']} hint="A waiting customer nobody accepts is then sent away.">{(a) => <input {...a} type="number" min={1} value={draft.orphan.timeoutSec} onInput={(e) => set({ orphan: { ...draft.orphan, timeoutSec: num(e) } })} />}</Field>
              <Field id="set-orphan-url" label="Then send them to (URL)" error={errors['orphan.redirectUrl']} hint="Empty: no redirect.">{(a) => <input {...a} type="url" value={draft.orphan.redirectUrl ?? ''} onInput={(e) => set({ orphan: { ...draft.orphan, redirectUrl: e.currentTarget.value.trim() || null } })} />}</Field>
            </div>
            <div class="field-row">
              <Field id="set-file-max" label="Largest file (MiB)" error={errors['files.maxBytes']}>{(a) => <input {...a} type="number" min={1} value={Math.round(draft.files.maxBytes / MiB)} onInput={(e) => set({ files: { ...draft.files, maxBytes: num(e) * MiB } })} />}</Field>
              <Field id="set-file-count" label="Files per session" error={errors['files.maxPerSession']}>{(a) => <input {...a} type="number" min={1} value={draft.files.maxPerSession} onInput={(e) => set({ files: { ...draft.files, maxPerSession: num(e) } })} />}</Field>
            </div>
            <label class="check"><input type="checkbox" checked={draft.watermark} onChange={(e) => set({ watermark: e.currentTarget.checked })} /> Show a watermark on the customer's screen while it is shared</label>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="agreement" title="Agreement" keys={['agreement']}>
        {({ draft, set, errors }) => (
          <>
            <label class="check"><input type="checkbox" checked={draft.agreement !== null} onChange={(e) => set({ agreement: e.currentTarget.checked ? { text: '', timeoutSec: 120 } : null })} /> Customers must accept an agreement first</label>
            {draft.agreement && (
              <>
                <Field id="set-agreement-text" label="Agreement text" error={errors['agreement.text']}>{(a) => <textarea {...a} rows={5} value={draft.agreement!.text} onInput={(e) => set({ agreement: { ...draft.agreement!, text: e.currentTarget.value } })} />}</Field>
                <Field id="set-agreement-timeout" label="Time to answer (seconds)" error={errors['agreement.timeoutSec']} hint="Unanswered by then, the session ends.">{(a) => <input {...a} type="number" min={1} value={draft.agreement!.timeoutSec} onInput={(e) => set({ agreement: { ...draft.agreement!, timeoutSec: num(e) } })} />}</Field>
              </>
            )}
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="recording" title="Recording" keys={['recording']}>
        {({ draft, set, errors }) => (
          <>
            <Field id="set-rec-policy" label="Record sessions" error={errors['recording.policy']}>
              {(a) => (
                <select {...a} value={draft.recording.policy} onChange={(e) => set({ recording: { ...draft.recording, policy: e.currentTarget.value as 'off' | 'ask' | 'always' } })}>
                  <option value="off">Never</option><option value="ask">When the customer allows it</option><option value="always">Always (say so in the agreement)</option>
                </select>
              )}
            </Field>
            <div class="field-row">
              <Field id="set-rec-refresh" label="Full picture every (seconds)" error={errors['recording.refreshSec']}>{(a) => <input {...a} type="number" min={1} value={draft.recording.refreshSec} onInput={(e) => set({ recording: { ...draft.recording, refreshSec: num(e) } })} />}</Field>
              <Field id="set-rec-days" label="Keep recordings (days)" error={errors['recording.retentionDays']}>{(a) => <input {...a} type="number" min={1} value={draft.recording.retentionDays} onInput={(e) => set({ recording: { ...draft.recording, retentionDays: num(e) } })} />}</Field>
            </div>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="surveys" title="Surveys" keys={['surveys']}>
        {(g) => <SurveysEditor {...g} />}
      </SettingsGroup>
      <SettingsGroup id="notices" title="Notices" keys={['notices']}>
        {({ draft, set, errors }) => (
          <>
            <p class="muted small">Shown to every customer when they join. Reps send other notices from a session (Notice).</p>
            {draft.notices.map((n, i) => (
              <div class="row" key={i}>
                <Field id={`set-notice-${i}`} label={`Notice ${i + 1}`} error={errors[`notices.${i}`]}>{(a) => <textarea {...a} rows={2} value={n} onInput={(e) => set({ notices: draft.notices.map((x, j) => (j === i ? e.currentTarget.value : x)) })} />}</Field>
                <button type="button" onClick={() => set({ notices: draft.notices.filter((_, j) => j !== i) })} aria-label={`Remove notice ${i + 1}`}>Remove</button>
              </div>
            ))}
            <button type="button" onClick={() => set({ notices: [...draft.notices, ''] })}>Add notice</button>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="rep-notices" title="Notices reps send" keys={['repNotices']}>
        {({ draft, set, errors }) => (
          <>
            <p class="muted small">Prepared for reps to pick in a session's Notice tool and send when they apply (e.g. planned maintenance).</p>
            {draft.repNotices.map((n, i) => (
              <div class="row" key={i}>
                <Field id={`set-rep-notice-${i}`} label={`Prepared notice ${i + 1}`} error={errors[`repNotices.${i}`]}>{(a) => <textarea {...a} rows={2} value={n} onInput={(e) => set({ repNotices: draft.repNotices.map((x, j) => (j === i ? e.currentTarget.value : x)) })} />}</Field>
                <button type="button" onClick={() => set({ repNotices: draft.repNotices.filter((_, j) => j !== i) })} aria-label={`Remove prepared notice ${i + 1}`}>Remove</button>
              </div>
            ))}
            <button type="button" onClick={() => set({ repNotices: [...draft.repNotices, ''] })}>Add prepared notice</button>
          </>
        )}
      </SettingsGroup>
    </section>
  );
}
