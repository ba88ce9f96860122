// Which top-level window has the keyboard focus, for application sharing: keys go to the
// customer's screen only when a shared window has it. node-screenshots knows under a window
// manager (and on Windows/macOS); on a bare X server the pure-JS x11 client asks GetInputFocus
// and walks up to the top-level window. null = focus follows the pointer (or unknown).
import x11 from 'x11';
import { screenshots } from './native.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type X = any;
const call = <T>(f: (cb: (err: unknown, r: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, r) => (err ? reject(err) : resolve(r))));

let cached: { at: number; id: Promise<number | null> } | null = null;

/** The focused top-level window id; cached briefly because keys come in bursts. */
export function focusedWindow(): Promise<number | null> {
  if (cached && Date.now() - cached.at < 300) return cached.id;
  cached = { at: Date.now(), id: probe() };
  return cached.id;
}

async function probe(): Promise<number | null> {
  try {
    const w = screenshots().Window.all().find((x) => x.isFocused());
    return w ? w.id() : null;
  } catch (e) {
    if (process.platform !== 'linux') return null;
    return await x11Focus().catch(() => null);
  }
}

function x11Focus(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const client = x11.createClient({ display: process.env.DISPLAY }, async (err: Error | null, dpy: X) => {
      if (err) return reject(err);
      const X = dpy.client;
      X.on('error', () => {});
      try {
        const root = dpy.screen[0].root;
        let id = (await call<{ focus: number }>((cb) => X.GetInputFocus(cb))).focus;
        if (id === 0 || id === 1 || id === root) return resolve(null); // None or PointerRoot
        for (;;) {
          const tree = await call<{ parent: number }>((cb) => X.QueryTree(id, cb));
          if (tree.parent === root || tree.parent === 0) return resolve(id);
          id = tree.parent;
        }
      } catch (e) {
        reject(e);
      } finally {
        X.terminate();
      }
    });
    client.on('error', reject);
  });
}
