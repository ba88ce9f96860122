// The customer and session facts beside the screen, and the agent's system information.
import { dateTime } from '../format.ts';
import type { SessionStore } from '../store.ts';
import { SysInfoList } from './SysInfo.tsx';

export function Details({ s }: { s: SessionStore }) {
  const info = s.info.value;
  const sys = s.sysinfo.value;
  if (!info) return null;
  const c = info.customer;
  // Click-to-chat: what a help desk signed is its word; the rest is what the page said.
  const verified = (f: 'name' | 'email' | 'externalKey') => info.embed?.verified.includes(f)
    ? <span class="verified" title={`verified by ${info.embed.verifiedBy ?? 'the help desk'}`}> ✓ verified</span> : null;
  return (
    // It scrolls on its own when the window is short (docs/ARCHITECTURE.md, Rep console "Layout"): focusable, so keys scroll it too.
    <section class="card details" tabIndex={0} aria-label="Customer details">
      <h3>{c.name || 'Customer'}{verified('name')}{c.company && <span class="muted"> · {c.company}</span>}</h3>
      <dl>
        <dt>Issue</dt><dd>{c.issue || '—'}</dd>
        {c.description && <><dt>Description</dt><dd class="desc">{c.description}</dd></>}
        <dt>Platform</dt><dd>{c.platform || '—'}</dd>
        <dt>Queue</dt><dd>{info.queueName}</dd>
        <dt>Started</dt><dd>{dateTime(info.acceptedAt ?? info.createdAt)}</dd>
        <dt>Customer</dt><dd>{info.customerOnline ? 'chat connected' : 'chat offline'}{info.agentOnline ? ' · agent running' : ''}</dd>
        {info.email && <><dt>E-mail</dt><dd>{info.email}{verified('email')}</dd></>}
        {info.externalKey && <><dt>External key</dt><dd>{info.externalKey}{verified('externalKey')}</dd></>}
        {info.embed && <><dt>Started from</dt><dd>{info.embed.origin}{info.embed.verifiedBy ? '' : ' (fields as the page gave them)'}</dd></>}
        {info.recording && <><dt>Recording</dt><dd class={`recording-${info.recording}`}>{info.recording === 'on' ? 'recorded' : 'not recorded'}</dd></>}
      </dl>
      {sys && (
        <details class="sysinfo">
          <summary>System information</summary>
          <SysInfoList sys={sys} />
        </details>
      )}
    </section>
  );
}
