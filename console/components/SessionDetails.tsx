// The customer and session facts beside the screen, and the agent's system information.
import { clock, dateTime } from '../format.ts';
import { t } from '../i18n.ts';
import { localZone } from '../../protocol/i18n/intl.ts';
import { now, type SessionStore } from '../store.ts';
import { SysInfoList } from './SysInfo.tsx';

export function Details({ s }: { s: SessionStore }) {
  const info = s.info.value;
  const sys = s.sysinfo.value;
  if (!info) return null;
  const c = info.customer;
  // Click-to-chat: what a help desk signed is its word; the rest is what the page said.
  const verified = (f: 'name' | 'email' | 'externalKey') => info.embed?.verified.includes(f)
    ? <span class="verified" title={t('details.verifiedBy', { by: info.embed.verifiedBy ?? t('details.theHelpDesk') })}> ✓ {t('details.verified')}</span> : null;
  // The customer's clock where it differs from the rep's (a call at their 8 pm reads differently).
  const zone = info.customerTimeZone;
  const theirTime = zone && zone !== localZone() ? clock(now.value, { timeZone: zone, showZone: true }) : null;
  return (
    // It scrolls on its own when the window is short (docs/ARCHITECTURE.md, Rep console "Layout"): focusable, so keys scroll it too.
    <section class="card details" tabIndex={0} aria-label={t('details.label')}>
      <h3><bdi>{c.name || t('common.customer')}</bdi>{verified('name')}{c.company && <span class="muted"> · <bdi>{c.company}</bdi></span>}</h3>
      <dl>
        <dt>{t('details.issue')}</dt><dd dir="auto">{c.issue || '—'}</dd>
        {c.description && <><dt>{t('details.description')}</dt><dd class="desc" dir="auto">{c.description}</dd></>}
        <dt>{t('details.platform')}</dt><dd>{c.platform || '—'}</dd>
        <dt>{t('details.queue')}</dt><dd><bdi>{info.queueName}</bdi></dd>
        <dt>{t('details.started')}</dt><dd>{dateTime(info.acceptedAt ?? info.createdAt)}</dd>
        {theirTime && <><dt>{t('details.theirTime')}</dt><dd class="their-time">{theirTime} <span class="muted small">({zone})</span></dd></>}
        <dt>{t('details.customer')}</dt><dd>{t('details.online', { chat: info.customerOnline ? 'yes' : 'no', agent: info.agentOnline ? 'yes' : 'no' })}</dd>
        {info.email && <><dt>{t('details.email')}</dt><dd>{info.email}{verified('email')}</dd></>}
        {info.externalKey && <><dt>{t('details.externalKey')}</dt><dd>{info.externalKey}{verified('externalKey')}</dd></>}
        {info.embed && <><dt>{t('details.startedFrom')}</dt><dd>{info.embed.origin}{info.embed.verifiedBy ? '' : ` ${t('details.unverifiedFields')}`}</dd></>}
        {info.recording && <><dt>{t('details.recording')}</dt><dd class={`recording-${info.recording}`}>{t('details.recorded', { on: info.recording })}</dd></>}
      </dl>
      {sys && (
        <details class="sysinfo">
          <summary>{t('details.sysinfo')}</summary>
          <SysInfoList sys={sys} />
        </details>
      )}
    </section>
  );
}
