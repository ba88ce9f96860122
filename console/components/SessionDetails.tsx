// The customer and session facts beside the screen, and the agent's system information.
import { dateTime } from '../format.ts';
import type { SessionStore } from '../store.ts';
import { SysInfoList } from './SysInfo.tsx';

export function Details({ s }: { s: SessionStore }) {
  const info = s.info.value;
  const sys = s.sysinfo.value;
  if (!info) return null;
  const c = info.customer;
  return (
    <section class="card details">
      <h3>{c.name || 'Customer'}{c.company && <span class="muted"> · {c.company}</span>}</h3>
      <dl>
        <dt>Issue</dt><dd>{c.issue || '—'}</dd>
        {c.description && <><dt>Description</dt><dd class="desc">{c.description}</dd></>}
        <dt>Platform</dt><dd>{c.platform || '—'}</dd>
        <dt>Queue</dt><dd>{info.queueName}</dd>
        <dt>Started</dt><dd>{dateTime(info.acceptedAt ?? info.createdAt)}</dd>
        <dt>Customer</dt><dd>{info.customerOnline ? 'chat connected' : 'chat offline'}{info.agentOnline ? ' · agent running' : ''}</dd>
        {info.externalKey && <><dt>External key</dt><dd>{info.externalKey}</dd></>}
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
