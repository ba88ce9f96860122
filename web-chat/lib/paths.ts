// Where the chat lives: at `/` (portal), `/s/<accessKey>` and `/chat`, and the same under
// `/embed/` when a click-to-chat page frames it (docs/ARCHITECTURE.md, "Click-to-chat"); the
// server lets only the listed sites frame the `/embed/` paths, so the chat stays under them.
export const BASE = location.pathname.startsWith('/embed/') ? '/embed' : '';
export const CHAT_PATH = `${BASE}/chat`;
export const HOME_PATH = `${BASE}/`;

/** The access key of a session link (`/s/<key>` or `/embed/s/<key>`), or null. */
export function linkAccessKey(pathname: string): string | null {
  const m = /^(?:\/embed)?\/s\/([^/]+)\/?$/.exec(pathname);
  return m ? decodeURIComponent(m[1]) : null;
}
