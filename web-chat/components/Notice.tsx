// Customer notices (automatic on join, or sent by a rep). Leaving because of one ends the
// session without the exit survey: no service was given.
import { useTakeFocus } from '../lib/focus.ts';
import type { ChatStore } from '../state/store.ts';
import type { ActiveNotice } from '../state/types.ts';
import { t } from '../lib/i18n.ts';

function NoticeCard({ store, n }: { store: ChatStore; n: ActiveNotice }) {
  const ref = useTakeFocus<HTMLElement>();
  return (
    <section class="card notice" ref={ref} tabIndex={-1} role="alert" aria-labelledby={`notice-${n.key}`}>
      <h2 id={`notice-${n.key}`}>{t('notice.title')}</h2>
      <p>{n.text}</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => store.dismissNotice(n.key)}>{t('notice.stay')}</button>
        {n.leaveAllowed && <button type="button" onClick={() => store.leaveForNotice()}>{t('notice.leave')}</button>}
      </div>
    </section>
  );
}

export function Notices({ store }: { store: ChatStore }) {
  const list = store.notices.value;
  if (!list.length || store.ended.value) return null;
  return <>{list.map((n) => <NoticeCard key={n.key} store={store} n={n} />)}</>;
}
