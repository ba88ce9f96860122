// A second rep connection (same rep, Node side) that receives the session's frames as the console
// does but never acks them: it stamps each frame's arrival next to the agent's capture time
// (frame.ts), which splits the latency into "agent noticed the change" and "capture → encode →
// send → relay". The console's own acks pace the agent, as in real use.
import WebSocket from 'ws';
import { Connection, type Msg, type SocketLike } from '../../protocol/index.ts';
import type { TestServer } from '../../test/helpers/server.ts';

export interface Arrival { at: number; ts: number; seq: number; bytes: number; rects: number }

export class FrameObserver {
  readonly frames: Arrival[] = [];
  private readonly conn: Connection;
  readonly ready: Promise<void>;

  constructor(server: TestServer, cookie: string, sessionId: string) {
    let ok!: () => void;
    this.ready = new Promise((r) => { ok = r; });
    this.conn = new Connection({
      url: `${server.wsUrl}/ws/rep`,
      role: 'rep',
      credential: '',
      createSocket: (url) => {
        const ws = new WebSocket(url, { headers: { cookie, origin: server.url } });
        // The message size as it came off the wire, before the Connection decodes it.
        ws.on('message', (d: Buffer) => { this.lastBytes = d.byteLength; });
        return ws as unknown as SocketLike;
      },
      onWelcome: () => ok(),
      onMessage: (m) => {
        if (m.t !== 'frame' || m.sessionId !== sessionId) return;
        const f = m as Msg<'frame'>;
        this.frames.push({ at: Date.now(), ts: f.ts, seq: f.seq, bytes: this.lastBytes, rects: f.rects.length });
        if (this.frames.length > 50_000) this.frames.splice(0, 25_000);
      },
    });
  }

  private lastBytes = 0;

  /** The first frame that arrived at or after t (ms since epoch). */
  firstSince(t: number): Arrival | undefined {
    let i = this.frames.length;
    while (i > 0 && this.frames[i - 1].at >= t) i--;
    return this.frames[i];
  }

  close(): void { this.conn.close(); }
}
