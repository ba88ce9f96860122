// Recording consent: the answer is stored in the transcript (a `recording` message).
import type { ChatStore } from '../state/store.ts';

export function RecordingPrompt({ store }: { store: ChatStore }) {
  return (
    <section class="card recording" role="dialog" aria-modal="false" aria-labelledby="rec-h">
      <h2 id="rec-h">Recording</h2>
      <p>This support session may be recorded for quality and training. Do you allow recording?</p>
      <div class="row">
        <button type="button" class="primary" autoFocus onClick={() => store.record(true)}>Allow recording</button>
        <button type="button" onClick={() => store.record(false)}>Don’t record</button>
      </div>
    </section>
  );
}
