// Every protocol message encodes and decodes back to an equal value.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pack } from 'msgpackr';
import { decode, encode, ErrorCode, MESSAGE_TYPES } from '../../protocol/index.ts';
import { SAMPLES } from './samples.ts';

test('the samples cover every message type', () => {
  const covered = new Set<string>(SAMPLES.map((m) => m.t));
  const missing = [...MESSAGE_TYPES].filter((t) => !covered.has(t));
  assert.equal(missing, []);
});

/** Bytes as plain arrays: the decoder gives Buffers (a Uint8Array subclass), equal byte for byte. */
function plain(x: unknown): unknown {
  if (x instanceof Uint8Array) return { bytes: Array.from(x) };
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

for (const msg of SAMPLES) {
  test(`${msg.t} round-trips`, () => {
    const bytes = encode(msg);
    assert.ok(bytes instanceof Uint8Array);
    const r = decode(bytes);
    if (!r.ok) assert.unreachable(`${msg.t}: ${r.error.code} ${r.error.message}`);
    else assert.equal(plain(r.msg), plain(msg));
  });
}

test('binary fields come back as Uint8Array', () => {
  const frame = SAMPLES.find((m) => m.t === 'frame')!;
  const r = decode(encode(frame));
  assert.ok(r.ok && r.msg.t === 'frame' && r.msg.rects[1].k === 'palette' && r.msg.rects[1].data instanceof Uint8Array);
});

test('a frame carries only the rect kinds the agent encodes (fill, palette, jpeg, copy): a webp rect is refused', () => {
  const frame = SAMPLES.find((m) => m.t === 'frame')!;
  const r = decode(pack({ ...frame, rects: [{ k: 'webp', x: 0, y: 0, w: 8, h: 8, data: new Uint8Array(16) }] }));
  assert.ok(!r.ok && r.error.code === ErrorCode.Invalid, 'webp rect accepted');
});

test.run();
