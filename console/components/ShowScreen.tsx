// The Show my screen tool (docs/ARCHITECTURE.md, "Show My Screen"): start and stop, who is
// watching, and why a share ended (the customer closed the view, the connection dropped) or
// can't be seen (a customer browser without WebCodecs).
import { t } from '../i18n.ts';
import type { SessionStore } from '../store.ts';

export function ShowScreenButton({ s, ended }: { s: SessionStore; ended: boolean }) {
  const state = s.show.state.value;
  const active = s.info.value?.state === 'active';
  if (state === 'idle') {
    return <button class="show-screen" disabled={ended || !active} title={active ? t('show.viewOnly') : t('show.acceptFirst')} onClick={() => void s.show.start()}>{t('show.start')}</button>;
  }
  return <button class="show-screen stop" disabled={state === 'starting'} onClick={() => s.show.stop()}>{state === 'starting' ? t('show.choosing') : t('show.stop')}</button>;
}

export function ShowScreenStatus({ s }: { s: SessionStore }) {
  const state = s.show.state.value;
  const share = s.show.share.value;
  const note = s.show.note.value;
  const mine = state === 'sharing' && share;
  let text: string | null = null;
  if (mine) {
    text = share.viewers > 0 ? t('show.watching', { places: share.viewers }) : t('show.waitingView');
    if (share.unsupported > 0) text += ` ${t('show.customerUnsupported')}`;
  } else if (state === 'idle' && share && share.repId !== s.show.repIdNow()) {
    text = t('show.other', { rep: share.repName });
  } else if (state === 'idle' && note) text = t('show.note', { code: note.code, detail: note.detail ?? '' });
  if (!text) return null;
  return <p class="row show-screen-state muted"><span role="status" data-state={mine ? 'sharing' : note && state === 'idle' ? 'ended' : 'other'}>{text}</span></p>;
}
