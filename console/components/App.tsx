// The frame of the console: top bar (availability, key, history, logout), tabs, and the view.
import { authChecked, availability, me, now, openTabs, queueCount, sessions, status, toasts, view, closeTab, type SessionStore } from '../store.ts';
import { attention, attentionLabel, attentionMarks, type Mark } from '../attention.ts';
import { logout, setAvailability } from '../actions.ts';
import { Login } from './Login.tsx';
import { Queues } from './Queues.tsx';
import { SessionView } from './SessionView.tsx';
import { History } from './History.tsx';
import { Account } from './Account.tsx';
import { AdminArea } from './admin/AdminArea.tsx';
import { KeyDialog, keyDialogOpen } from './KeyDialog.tsx';
import type { Availability } from '../store.ts';


/** Compact marks of what waits in a session; the tab's aria-label says the same in words. */
function Flags({ marks }: { marks: Mark[] }) {
  return (
    <span class="flags" aria-hidden="true">
      {/* Spaces between the marks: their words must not run together (the name says them too). */}
      {marks.map((m) => [' ', <span key={m.cls} class={m.cls} title={m.meaning}>{m.shown}</span>])}
    </span>
  );
}

function Tabs() {
  const tabs = openTabs.value;
  return (
    <nav class="tabs" role="tablist">
      <button role="tab" class={view.value === 'queues' ? 'tab on' : 'tab'} onClick={() => (view.value = 'queues')}>
        Queues {queueCount.value > 0 && <span class="count">{queueCount.value}</span>}
      </button>
      {tabs.map((id) => {
        const s = sessions.value[id];
        const info = s?.info.value;
        const name = info?.customer.name || 'Customer';
        const marks = s ? attentionMarks(attention(s), now.value) : [];
        return (
          <span key={id} class={view.value === id ? 'tab on session-tab' : 'tab session-tab'} data-session={id}>
            <button role="tab" class="tab-label" aria-selected={view.value === id} aria-label={attentionLabel(name, marks)} onClick={() => { view.value = id; if (s) s.unread.value = 0; }}>
              <span class={`dot ${info?.state ?? ''}`} />
              {name}
              <Flags marks={marks} />
            </button>
            {(info?.state === 'ended' && !s?.surveyDue.value) && <button class="tab-close" title="Close tab" onClick={() => closeTab(id)}>×</button>}
          </span>
        );
      })}
      <button role="tab" class={view.value === 'history' ? 'tab on' : 'tab'} onClick={() => (view.value = 'history')}>History</button>
      {me.value?.isAdmin && <button role="tab" class={view.value === 'admin' ? 'tab on' : 'tab'} onClick={() => (view.value = 'admin')}>Admin</button>}
    </nav>
  );
}

export function App() {
  if (!authChecked.value) return <div class="splash">Bridge</div>;
  const rep = me.value;
  if (!rep) return <Login />;
  const v = view.value;
  return (
    <div class="shell">
      <header class="top">
        <span class="brand">Bridge</span>
        <span class={`conn ${status.value}`} title={`Connection: ${status.value}`}>{status.value === 'online' ? 'online' : status.value === 'offline' ? 'reconnecting…' : status.value}</span>
        <span class="grow" />
        <button class="primary" onClick={() => (keyDialogOpen.value = true)}>Generate session key</button>
        <label class="avail">
          <span class={`dot ${availability.value}`} />
          <select aria-label="Availability" value={availability.value} onChange={(e) => setAvailability((e.target as HTMLSelectElement).value as Availability)}>
            <option value="available">Available</option>
            <option value="busy">Busy</option>
            <option value="away">Away</option>
          </select>
        </label>
        <button class="who" onClick={() => (view.value = 'account')} aria-label={`${rep.name}: my account`}>{rep.name}</button>
        <button onClick={() => void logout()}>Log out</button>
      </header>
      <Tabs />
      <main class="main-view">
        {v === 'queues' ? <Queues /> : v === 'history' ? <History /> : v === 'admin' && rep.isAdmin ? <AdminArea /> : v === 'account' ? <Account /> : sessions.value[v] ? <SessionView key={v} s={sessions.value[v]} /> : <Queues />}
      </main>
      {keyDialogOpen.value && <KeyDialog />}
      <div class="toasts" aria-live="polite">
        {toasts.value.map((t) => <div key={t.id} class={`toast ${t.kind}`}>{t.text}</div>)}
      </div>
    </div>
  );
}
