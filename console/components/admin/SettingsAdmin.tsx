// Site settings, grouped as an administrator thinks of them: portal, sessions, agreement,
// recording, surveys (with a preview as the customer sees it), notices. Each group saves alone.
import { useEffect } from 'preact/hooks';
import { loadSettings, settings } from '../../admin/state.ts';
import { Field } from './Field.tsx';
import { lines, num, SettingsGroup } from './SettingsGroup.tsx';
import { SurveysEditor } from './SurveysEditor.tsx';
import { t } from '../../i18n.ts';

const MiB = 1024 * 1024;

export function SettingsAdmin() {
  useEffect(() => { void loadSettings(); }, []);
  if (!settings.value) return <p class="muted">{t('settings.loading')}</p>;
  return (
    <section class="admin-section" aria-labelledby="settings-h">
      <h2 id="settings-h">{t('admin.screen', { screen: 'settings' })}</h2>
      <p class="muted small">{t('settings.intro')}</p>
      <SettingsGroup id="portal" keys={['companyName', 'portalMessage', 'issueCategories', 'keySessionsAskName']}>
        {({ draft, set, errors }) => (
          <>
            <Field id="set-company" label={t('settings.companyName')} error={errors.companyName}>{(a) => <input {...a} value={draft.companyName} onInput={(e) => set({ companyName: e.currentTarget.value })} />}</Field>
            <Field id="set-portal-message" label={t('settings.portalMessage')} error={errors.portalMessage} hint={t('settings.portalMessageHint')}>
              {(a) => <textarea {...a} rows={2} value={draft.portalMessage} onInput={(e) => set({ portalMessage: e.currentTarget.value })} />}
            </Field>
            <Field id="set-categories" label={t('settings.issueCategories')} error={errors.issueCategories} hint={t('settings.onePerLine')}>
              {(a) => <textarea {...a} rows={4} value={draft.issueCategories.join('\n')} onChange={(e) => set({ issueCategories: lines(e) })} />}
            </Field>
            <label class="check"><input type="checkbox" checked={draft.keySessionsAskName} onChange={(e) => set({ keySessionsAskName: e.currentTarget.checked })} /> {t('settings.askName')}</label>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="sessions" keys={['sessionKeys', 'queueMessageIntervalSec', 'orphan', 'watermark', 'files']}>
        {({ draft, set, errors }) => (
          <>
            <div class="field-row">
              <Field id="set-key-validity" label={t('settings.keyValidity')} error={errors['sessionKeys.validityMin']}>{(a) => <input {...a} type="number" min={1} value={draft.sessionKeys.validityMin} onInput={(e) => set({ sessionKeys: { ...draft.sessionKeys, validityMin: num(e) } })} />}</Field>
              <Field id="set-key-max" label={t('settings.keyMax')} error={errors['sessionKeys.maxValidityMin']}>{(a) => <input {...a} type="number" min={1} value={draft.sessionKeys.maxValidityMin} onInput={(e) => set({ sessionKeys: { ...draft.sessionKeys, maxValidityMin: num(e) } })} />}</Field>
              <Field id="set-agent-validity" label={t('settings.agentValidity')} error={errors['sessionKeys.agentValiditySec']}>{(a) => <input {...a} type="number" min={1} value={draft.sessionKeys.agentValiditySec} onInput={(e) => set({ sessionKeys: { ...draft.sessionKeys, agentValiditySec: num(e) } })} />}</Field>
            </div>
            <div class="field-row">
              <Field id="set-queue-interval" label={t('settings.queueInterval')} error={errors.queueMessageIntervalSec}>{(a) => <input {...a} type="number" min={1} value={draft.queueMessageIntervalSec} onInput={(e) => set({ queueMessageIntervalSec: num(e) })} />}</Field>
              <Field id="set-orphan" label={t('settings.orphan')} error={errors['orphan.timeoutSec']} hint={t('settings.orphanHint')}>{(a) => <input {...a} type="number" min={1} value={draft.orphan.timeoutSec} onInput={(e) => set({ orphan: { ...draft.orphan, timeoutSec: num(e) } })} />}</Field>
              <Field id="set-orphan-url" label={t('settings.orphanUrl')} error={errors['orphan.redirectUrl']} hint={t('settings.orphanUrlHint')}>{(a) => <input {...a} type="url" value={draft.orphan.redirectUrl ?? ''} onInput={(e) => set({ orphan: { ...draft.orphan, redirectUrl: e.currentTarget.value.trim() || null } })} />}</Field>
            </div>
            <div class="field-row">
              <Field id="set-file-max" label={t('settings.fileMax')} error={errors['files.maxBytes']}>{(a) => <input {...a} type="number" min={1} value={Math.round(draft.files.maxBytes / MiB)} onInput={(e) => set({ files: { ...draft.files, maxBytes: num(e) * MiB } })} />}</Field>
              <Field id="set-file-count" label={t('settings.fileCount')} error={errors['files.maxPerSession']}>{(a) => <input {...a} type="number" min={1} value={draft.files.maxPerSession} onInput={(e) => set({ files: { ...draft.files, maxPerSession: num(e) } })} />}</Field>
            </div>
            <label class="check"><input type="checkbox" checked={draft.watermark} onChange={(e) => set({ watermark: e.currentTarget.checked })} /> {t('settings.watermark')}</label>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="agreement" keys={['agreement']}>
        {({ draft, set, errors }) => (
          <>
            <label class="check"><input type="checkbox" checked={draft.agreement !== null} onChange={(e) => set({ agreement: e.currentTarget.checked ? { text: '', timeoutSec: 120 } : null })} /> {t('settings.agreementOn')}</label>
            {draft.agreement && (
              <>
                <Field id="set-agreement-text" label={t('settings.agreementText')} error={errors['agreement.text']}>{(a) => <textarea {...a} rows={5} value={draft.agreement!.text} onInput={(e) => set({ agreement: { ...draft.agreement!, text: e.currentTarget.value } })} />}</Field>
                <Field id="set-agreement-timeout" label={t('settings.agreementTimeout')} error={errors['agreement.timeoutSec']} hint={t('settings.agreementTimeoutHint')}>{(a) => <input {...a} type="number" min={1} value={draft.agreement!.timeoutSec} onInput={(e) => set({ agreement: { ...draft.agreement!, timeoutSec: num(e) } })} />}</Field>
              </>
            )}
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="recording" keys={['recording']}>
        {({ draft, set, errors }) => (
          <>
            <Field id="set-rec-policy" label={t('settings.recordPolicy')} error={errors['recording.policy']}>
              {(a) => (
                <select {...a} value={draft.recording.policy} onChange={(e) => set({ recording: { ...draft.recording, policy: e.currentTarget.value as 'off' | 'ask' | 'always' } })}>
                  <option value="off">{t('settings.recordOff')}</option><option value="ask">{t('settings.recordAsk')}</option><option value="always">{t('settings.recordAlways')}</option>
                </select>
              )}
            </Field>
            <div class="field-row">
              <Field id="set-rec-refresh" label={t('settings.recordRefresh')} error={errors['recording.refreshSec']}>{(a) => <input {...a} type="number" min={1} value={draft.recording.refreshSec} onInput={(e) => set({ recording: { ...draft.recording, refreshSec: num(e) } })} />}</Field>
              <Field id="set-rec-days" label={t('settings.recordDays')} error={errors['recording.retentionDays']}>{(a) => <input {...a} type="number" min={1} value={draft.recording.retentionDays} onInput={(e) => set({ recording: { ...draft.recording, retentionDays: num(e) } })} />}</Field>
            </div>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="surveys" keys={['surveys']}>
        {(g) => <SurveysEditor {...g} />}
      </SettingsGroup>
      <SettingsGroup id="notices" keys={['notices']}>
        {({ draft, set, errors }) => (
          <>
            <p class="muted small">{t('settings.noticesHint')}</p>
            {draft.notices.map((n, i) => (
              <div class="row" key={i}>
                <Field id={`set-notice-${i}`} label={t('settings.noticeN', { n: i + 1 })} error={errors[`notices.${i}`]}>{(a) => <textarea {...a} rows={2} value={n} onInput={(e) => set({ notices: draft.notices.map((x, j) => (j === i ? e.currentTarget.value : x)) })} />}</Field>
                <button type="button" onClick={() => set({ notices: draft.notices.filter((_, j) => j !== i) })} aria-label={t('settings.removeNotice', { n: i + 1 })}>{t('common.remove')}</button>
              </div>
            ))}
            <button type="button" onClick={() => set({ notices: [...draft.notices, ''] })}>{t('settings.addNotice')}</button>
          </>
        )}
      </SettingsGroup>
      <SettingsGroup id="rep-notices" keys={['repNotices']}>
        {({ draft, set, errors }) => (
          <>
            <p class="muted small">{t('settings.repNoticesHint')}</p>
            {draft.repNotices.map((n, i) => (
              <div class="row" key={i}>
                <Field id={`set-rep-notice-${i}`} label={t('settings.repNoticeN', { n: i + 1 })} error={errors[`repNotices.${i}`]}>{(a) => <textarea {...a} rows={2} value={n} onInput={(e) => set({ repNotices: draft.repNotices.map((x, j) => (j === i ? e.currentTarget.value : x)) })} />}</Field>
                <button type="button" onClick={() => set({ repNotices: draft.repNotices.filter((_, j) => j !== i) })} aria-label={t('settings.removeRepNotice', { n: i + 1 })}>{t('common.remove')}</button>
              </div>
            ))}
            <button type="button" onClick={() => set({ repNotices: [...draft.repNotices, ''] })}>{t('settings.addRepNotice')}</button>
          </>
        )}
      </SettingsGroup>
    </section>
  );
}
