// Top-level windows the customer can choose for application sharing, with their screen rects.
// node-screenshots asks the window manager (_NET_CLIENT_LIST_STACKING); without one (a bare X
// server) the Linux fallback walks the root window's children with the pure-JS x11 client.
import { screenshots } from '../runtime/native-addons.ts';
import { call, withX11 } from '../runtime/x11-client.ts';

export interface AppWindow { id: number; title: string; x: number; y: number; w: number; h: number }

export async function listWindows(): Promise<AppWindow[]> {
  try {
    const { Window } = screenshots();
    return Window.all()
      .filter((w) => !w.isMinimized() && w.width() > 0 && w.height() > 0)
      .map((w) => ({ id: w.id(), title: (w.title() || w.appName() || `Window ${w.id()}`).slice(0, 200), x: w.x(), y: w.y(), w: w.width(), h: w.height() }));
  } catch (e) {
    if (process.platform !== 'linux') throw e;
    return await x11Windows();
  }
}

async function x11Windows(): Promise<AppWindow[]> {
  return withX11(async (X, dpy) => {
    const root = dpy.screen[0].root;
    const tree = await call<{ children: number[] }>((cb) => X.QueryTree(root, cb));
    const out: AppWindow[] = [];
    for (const id of tree.children) {
      const attrs = await call<{ mapState: number; overrideRedirect: number }>((cb) => X.GetWindowAttributes(id, cb)).catch(() => null);
      if (!attrs || attrs.mapState !== 2 || attrs.overrideRedirect) continue; // viewable, not a popup/watermark
      const geo = await call<{ width: number; height: number }>((cb) => X.GetGeometry(id, cb));
      const pos = await call<{ destX: number; destY: number }>((cb) => X.TranslateCoordinates(id, root, 0, 0, cb));
      const name = await call<{ data?: Buffer }>((cb) => X.GetProperty(0, id, X.atoms.WM_NAME, 0, 0, 256, cb)).catch(() => null);
      const title = name?.data?.toString('latin1') ?? '';
      if (!title) continue;
      out.push({ id, title: title.slice(0, 200), x: pos.destX, y: pos.destY, w: geo.width, h: geo.height });
    }
    return out.reverse(); // top of the stacking order first
  });
}
