// The Show my screen tool (docs/ARCHITECTURE.md, "Show My Screen"): start and stop, who is
// watching, and why a share ended (the customer closed the view, the connection dropped) or
// can't be seen (a customer browser without WebCodecs).
import type { SessionStore } from '../store.ts';

export function ShowScreenButton({ s, ended }: { s: SessionStore; ended: boolean }) {
  const state = s.show.state.value;
  const active = s.info.value?.state === 'active';
  if (state === 'idle') {
    return <button class="show-screen" disabled={ended || !active} title={active ? 'View only for the customer; they can close it' : 'Accept the session first'} onClick={() => void s.show.start()}>Show my screen</button>;
  }
  return <button class="show-screen stop" disabled={state === 'starting'} onClick={() => s.show.stop()}>{state === 'starting' ? 'Choosing a screen…' : 'Stop showing my screen'}</button>;
}

export function ShowScreenStatus({ s }: { s: SessionStore }) {
  const state = s.show.state.value;
  const share = s.show.share.value;
  const note = s.show.note.value;
  const mine = state === 'sharing' && share;
  let text: string | null = null;
  if (mine) {
    text = share.viewers > 0 ? `Showing your screen: the customer is watching${share.viewers > 1 ? ` in ${share.viewers} places` : ''}.` : 'Showing your screen: waiting for the customer’s view to open.';
    if (share.unsupported > 0) text += " The customer's browser can't display it (no WebCodecs): ask them to use a current Chrome, Edge, Firefox or Safari.";
  } else if (state === 'idle' && share && share.repId !== s.show.repIdNow()) {
    text = `${share.repName} is showing their screen to the customer.`;
  } else if (state === 'idle') text = note;
  if (!text) return null;
  return <p class="row show-screen-state muted"><span role="status" data-state={mine ? 'sharing' : note && state === 'idle' ? 'ended' : 'other'}>{text}</span></p>;
}
