// Screens a chat may never show (agreement, recording prompt, screen sharing, Show My Screen,
// survey, transcript) come as their own chunks, fetched when first mounted, so the session's first
// load stays inside the size budget (docs/ARCHITECTURE.md "Web chat" → "Size").
import { h, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A component that renders nothing until `load` has brought the real one, then renders it with the
 * same props. A failed fetch (network) is tried again the next time it mounts.
 */
export function lazy<P>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<unknown> | null = null;
  return function Lazy(props: P) {
    const [, setReady] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let gone = false;
      pending ??= load().then((c) => { loaded = c; }, () => { pending = null; });
      void pending.then(() => { if (!gone && loaded) setReady(true); });
      return () => { gone = true; };
    }, []);
    return loaded ? h(loaded as ComponentType<object>, props as object) : null;
  };
}
