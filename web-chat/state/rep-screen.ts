// The rep's screen as the customer sees it (docs/ARCHITECTURE.md, "Show My Screen"): the share
// the server announces, the view that decodes it (client/rep-screen-view.ts), and the customer's
// Close. The component hands in its canvas; everything else happens here.
import { signal } from '@preact/signals';
import type { Message, RepScreenShare } from '../../protocol/messages/index.ts';
import { RepScreenView } from '../../client/rep-screen-view.ts';

export function createRepScreen(sessionId: string, send: (m: Message) => boolean) {
  /** The share to show, or null (none, ended, or closed here). */
  const share = signal<RepScreenShare | null>(null);
  const view = new RepScreenView(sessionId, send);
  let canvas: HTMLCanvasElement | null = null;
  let opened: string | null = null;
  /** After a reconnect the server knows this page as a new socket: the next word of the share opens the view again. */
  let rejoin = false;

  function show(s: RepScreenShare | null): void {
    share.value = s;
    if (!s) { view.close(); opened = null; return; }
    if (opened === s.id && !rejoin) return;
    rejoin = false;
    if (opened !== null || canvas) { opened = s.id; view.open(s, canvas); }
  }

  return {
    share,
    onMessage(msg: Message): void {
      if (msg.t === 'repscreen.state' && msg.sessionId === sessionId) show(msg.share);
      else if (msg.t === 'repscreen.frame' && msg.sessionId === sessionId) view.frame(msg);
    },
    onWelcome(): void { rejoin = true; },
    /** The component's canvas (null: this browser can't decode, or the component went). */
    attach(el: HTMLCanvasElement | null): void {
      canvas = el;
      const s = share.value;
      if (s) { opened = s.id; view.open(s, el); }
    },
    detach(): void { canvas = null; opened = null; view.close(); },
    /** The customer closes the view: the share ends for everyone (the rep sees it). */
    closeView(): void {
      const s = share.value;
      if (!s) return;
      send({ t: 'repscreen.close', sessionId, share: s.id });
      show(null);
    },
  };
}
