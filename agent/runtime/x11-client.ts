// A short-lived connection to the X server with the pure-JS x11 client, for the agent's small
// questions (window list, focus, raising its window): open, ask, close.
import x11 from 'x11';

// The x11 package is untyped; its client is used loosely at these few call sites.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type XClient = any;

/** Node-style callback request → promise. */
export const call = <T>(f: (cb: (err: unknown, r: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, r) => (err ? reject(err) : resolve(r))));

/** Runs fn with a fresh connection (X = the client, dpy = the display) and closes it after. */
export function withX11<T>(fn: (X: XClient, dpy: XClient) => Promise<T>, display = process.env.DISPLAY): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const client = x11.createClient({ display }, (err: Error | null, dpy: XClient) => {
      if (err) return reject(err);
      const X = dpy.client;
      X.on('error', () => {}); // async protocol errors of a best-effort request must not crash the agent
      fn(X, dpy).then(resolve, reject).finally(() => X.terminate());
    });
    client.on('error', reject);
  });
}
