// The customer chat's codec (protocol/codec-customer.ts, swapped in by the web-chat build) against
// the full one: the messages a customer receives decode to the same values; every other type is
// refused as unknown, which the chat ignores; what the chat sends passes the server's decode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as customer from '../../protocol/codec-customer.ts';
import { decode, encode, ErrorCode, MESSAGE_TYPES } from '../../protocol/index.ts';
import { CUSTOMER_MESSAGE_TYPES } from '../../protocol/messages/customer.ts';
import { SAMPLES } from './samples.ts';

/** What the chat's store and Connection act on (web-chat/state/store.ts, protocol/connection.ts). */
const HANDLED = ['welcome', 'error', 'pong', 'event', 'ack', 'done', 'session', 'queue.status', 'typing', 'repscreen.state', 'repscreen.frame',
  'file.offer', 'file.answer', 'file.registered', 'file.chunk', 'file.progress', 'file.done', 'file.cancel'];

test('the customer catalogue is what the chat acts on, all of it in the full catalogue', () => {
  assert.equal([...CUSTOMER_MESSAGE_TYPES].sort(), [...HANDLED].sort());
  for (const t of CUSTOMER_MESSAGE_TYPES) assert.ok(MESSAGE_TYPES.has(t), t);
});

test('every sample: a customer type decodes as the full codec decodes it, any other is an unknown type', () => {
  for (const msg of SAMPLES.filter((m) => m.t !== 'frame')) {
    const bytes = encode(msg);
    const r = customer.decode(bytes);
    if (CUSTOMER_MESSAGE_TYPES.has(msg.t)) {
      if (!r.ok) assert.unreachable(`${msg.t}: ${r.error.code} ${r.error.message}`);
      else assert.equal(r, decode(bytes), msg.t);
    } else {
      assert.equal(r.ok ? r.msg.t : r.error.code, ErrorCode.UnknownType, msg.t);
    }
  }
});

test('what the chat encodes passes the server\'s decode; bad input gets the same typed errors', () => {
  for (const msg of SAMPLES.filter((m) => m.t !== 'frame')) assert.ok(decode(customer.encode(msg)).ok, msg.t);
  const bad = encode({ t: 'typing', sessionId: 'x'.repeat(500), active: true });
  assert.equal(customer.decode(bad), decode(bad));
  assert.equal(customer.decode(new Uint8Array(0)), decode(new Uint8Array(0)));
  assert.equal(customer.decode(new Uint8Array([0xc1])).ok, false);
});

test.run();
