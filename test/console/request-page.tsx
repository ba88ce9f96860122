// Browser side of request.test.ts: the console's real Viewer and ChatLog over a real
// ScreenSession, fed with messages that went through the real codec (as client.ts feeds them).
import { render } from 'preact';
import { signal } from '@preact/signals';
import { decode, type Event, type Message } from '../../protocol/index.ts';
import { ScreenSession } from '../../console/viewer/screen.ts';
import { Viewer } from '../../console/components/Viewer.tsx';
import { ChatLog } from '../../console/components/ChatLog.tsx';

const sent: Message[] = [];
const screen = new ScreenSession('s1', 'rep-1', (m) => { sent.push(m); return true; });
const events = signal<Event[]>([]);

function Page() {
  return (
    <div style="display:grid;grid-template-columns:1fr 22rem;gap:1rem;height:100vh;padding:1rem">
      <Viewer screen={screen} ended={false} />
      <div class="card chat"><div class="chat-scroll"><ChatLog events={events.value} myId="rep-1" /></div></div>
    </div>
  );
}
render(<Page />, document.getElementById('app')!);

(window as unknown as Record<string, unknown>).console_ = {
  feed(b64: string): string | null {
    const r = decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    if (!r.ok) return r.error.message;
    const m = r.msg;
    if (m.t === 'session') screen.req.onSession(m.session.screenRequest);
    if (m.t === 'grant') screen.onGrant(m);
    if (m.t === 'event') { events.value = [...events.value, m]; screen.req.onEvent(m); }
    return null;
  },
  sent: () => sent.map((m) => ({ ...m })),
};
