// The client Connection's outbox when the connection is closed with messages still unacked.
import { WebSocket } from 'ws';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Connection, type SocketLike } from '../../protocol/index.ts';

test('closing with unacked messages: awaiting callers see the error, fire-and-forget ones do not crash the process', async () => {
  let unhandled: unknown = null;
  const onUnhandled = (e: unknown) => { unhandled = e; };
  process.on('unhandledRejection', onUnhandled);
  try {
    // Nothing listens on port 1: the messages stay in the outbox.
    const conn = new Connection({ url: 'ws://127.0.0.1:1/ws/customer', role: 'customer', credential: 'x', createSocket: (u) => new WebSocket(u) as unknown as SocketLike, onMessage: () => {} });
    void conn.sendReliable({ t: 'chat', sessionId: 's', id: 'forgotten', text: 'x' });
    const awaited = conn.sendReliable({ t: 'chat', sessionId: 's', id: 'awaited', text: 'y' }).then(() => 'acked', (e: Error) => e.message);
    assert.is(conn.pending().length, 2);
    conn.close();
    assert.is(await awaited, 'connection closed');
    await new Promise((r) => setTimeout(r, 50));
    assert.is(unhandled, null);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test.run();
