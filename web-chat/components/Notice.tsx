// Customer notices (automatic on join, or sent by a rep). Leaving because of one ends the
// session without the exit survey: no service was given.
import type { ChatStore } from '../state/store.ts';

export function Notices({ store }: { store: ChatStore }) {
  const list = store.notices.value;
  if (!list.length || store.ended.value) return null;
  return (
    <>
      {list.map((n) => (
        <section key={n.key} class="card notice" role="alert" aria-labelledby={`notice-${n.key}`}>
          <h2 id={`notice-${n.key}`}>Notice</h2>
          <p>{n.text}</p>
          <div class="row">
            <button type="button" class="primary" onClick={() => store.dismissNotice(n.key)}>Stay in the session</button>
            {n.leaveAllowed && <button type="button" onClick={() => store.leaveForNotice()}>Leave session</button>}
          </div>
        </section>
      ))}
    </>
  );
}
