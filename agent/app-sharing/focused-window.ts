// Which top-level window has the keyboard focus, for application sharing: keys go to the
// customer's screen only when a shared window has it. node-screenshots knows under a window
// manager (and on Windows/macOS); on a bare X server the pure-JS x11 client asks GetInputFocus
// and walks up to the top-level window. null = focus follows the pointer (or unknown).
import { screenshots } from '../runtime/native-addons.ts';
import { call, withX11 } from '../runtime/x11-client.ts';

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
  return withX11(async (X, dpy) => {
    const root = dpy.screen[0].root;
    let id = (await call<{ focus: number }>((cb) => X.GetInputFocus(cb))).focus;
    if (id === 0 || id === 1 || id === root) return null; // None or PointerRoot
    for (;;) {
      const tree = await call<{ parent: number }>((cb) => X.QueryTree(id, cb));
      if (tree.parent === root || tree.parent === 0) return id;
      id = tree.parent;
    }
  });
}
