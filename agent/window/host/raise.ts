// Nudge, agent side: bring the agent's window to the front. The page's own window.focus() is
// ignored by most browsers, so on X11 the agent finds the browser's top-level windows by
// _NET_WM_PID and asks the window manager (_NET_ACTIVE_WINDOW, as a pager, which focus-stealing
// prevention lets through) or, with none, raises and focuses them itself.
import x11 from 'x11';
import { call, withX11 } from '../../runtime/x11-client.ts';

export async function raiseWindowsOf(pid: number, display = process.env.DISPLAY): Promise<number> {
  if (process.platform !== 'linux' || !display) return 0;
  return withX11(async (X, dpy) => {
    const root = dpy.screen[0].root;
    const atom = (name: string) => call<number>((cb) => X.InternAtom(false, name, cb));
    const [pidAtom, active] = [await atom('_NET_WM_PID'), await atom('_NET_ACTIVE_WINDOW')];
    const tree = await call<{ children: number[] }>((cb) => X.QueryTree(root, cb));
    const mine: number[] = [];
    // Top-level windows and, under a window manager, the client windows inside its frames.
    for (const top of tree.children) {
      const inner = await call<{ children: number[] }>((cb) => X.QueryTree(top, cb)).catch(() => ({ children: [] as number[] }));
      for (const id of [top, ...inner.children]) {
        const p = await call<{ data: Buffer }>((cb) => X.GetProperty(0, id, pidAtom, X.atoms.CARDINAL, 0, 1, cb)).catch(() => null);
        if (p?.data?.length !== 4 || p.data.readUInt32LE(0) !== pid) continue;
        const a = await call<{ mapState: number }>((cb) => X.GetWindowAttributes(id, cb)).catch(() => null);
        if (a?.mapState === 2) mine.push(id); // viewable only: focusing anything else is an error
      }
    }
    for (const id of mine) {
      const ev = Buffer.alloc(32);
      ev.writeUInt8(33, 0); // ClientMessage
      ev.writeUInt8(32, 1); // format
      ev.writeUInt32LE(id, 4);
      ev.writeUInt32LE(active, 8);
      ev.writeUInt32LE(2, 12); // source: pager
      X.SendEvent(root, false, x11.eventMask.SubstructureRedirect | x11.eventMask.SubstructureNotify, ev);
      X.RaiseWindow(id);
      X.SetInputFocus(id, 1);
    }
    await call((cb) => X.GetInputFocus(cb)); // round trip: the requests are done
    return mine.length;
  }, display).catch(() => 0);
}
