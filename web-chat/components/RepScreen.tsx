// The rep's screen in the customer's dock (docs/ARCHITECTURE.md, "Show My Screen"): view only,
// scaled to fit, with Close view (the share ends and the rep is told). A browser without WebCodecs
// says so instead, and the rep is told too.
import { useEffect, useRef } from 'preact/hooks';
import { canDecodeRepScreen } from '../../client/rep-screen-view.ts';
import type { ChatStore } from '../state/store.ts';

export function RepScreen({ store }: { store: ChatStore }) {
  const share = store.repScreen.value;
  const canvas = useRef<HTMLCanvasElement>(null);
  const id = share?.id;
  const decodes = canDecodeRepScreen();
  useEffect(() => {
    if (!id) return;
    store.attachRepScreen(decodes ? canvas.current : null);
    return () => store.detachRepScreen();
  }, [id]);
  if (!share || store.ended.value) return null;
  const name = share.repName || 'The representative';
  return (
    <section class="card rep-screen" role="region" aria-labelledby="rs-h">
      <div class="row rep-screen-head">
        <h2 id="rs-h">{name} is showing their screen</h2>
        <button type="button" class="rep-screen-close" onClick={() => store.closeRepScreen()}>Close view</button>
      </div>
      {decodes
        ? <canvas ref={canvas} class="rep-screen-canvas" role="img" aria-label={`${name}'s screen (view only)`} />
        : <p class="rep-screen-unsupported" role="alert">This browser can't display {name}'s screen (it lacks WebCodecs video decoding). Open this chat in a current Chrome, Edge, Firefox or Safari to see it; {name} has been told.</p>}
    </section>
  );
}
