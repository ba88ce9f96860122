// Is there a screen to share? nut-js segfaults without one, so this runs before any native
// module loads and answers with a sentence the customer can act on.
import x11 from 'x11';

export async function checkDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): Promise<string | null> {
  if (platform !== 'linux') return null; // Windows and macOS always have a desktop session.
  const display = env.DISPLAY;
  if (!display) {
    return env.WAYLAND_DISPLAY
      ? 'This is a Wayland session without XWayland (DISPLAY is not set). Bridge needs an X11 display: log in with an "Xorg" session, or enable XWayland.'
      : 'No graphical display found (DISPLAY is not set). Run the Bridge agent from your desktop session, not from a text console or SSH.';
  }
  return await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(`The X display ${display} does not answer. Is your desktop session still running?`), 4000);
    try {
      const client = x11.createClient({ display }, (err: Error | null, dpy: { client: { terminate(): void } }) => {
        clearTimeout(timer);
        if (err) return resolve(`Cannot open the X display ${display}: ${err.message}. Run the agent from your desktop session.`);
        dpy.client.terminate();
        resolve(null);
      });
      client.on('error', (err: Error) => {
        clearTimeout(timer);
        resolve(`Cannot open the X display ${display}: ${err.message}. Run the agent from your desktop session.`);
      });
    } catch (e) {
      clearTimeout(timer);
      resolve(`Cannot open the X display ${display}: ${(e as Error).message}.`);
    }
  });
}
