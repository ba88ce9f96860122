// Where a page's WebSocket goes: the page's own server, wss under https (docs/ARCHITECTURE.md,
// WebSockets), and the browser's WebSocket in the shape protocol `Connection` takes.
import type { SocketLike } from '../protocol/connection.ts';

/** `path` resolved against the page's address ("/ws/rep", or "ws" beside the agent window's page). */
export function wsUrl(path: string, page: string = location.href): string {
  const url = new URL(path, page);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export const browserSocket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;
