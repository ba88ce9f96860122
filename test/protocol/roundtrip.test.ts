// Every protocol message encodes and decodes back to an equal value.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pack } from 'msgpackr';
import { decode, encode, ErrorCode, MESSAGE_TYPES, type Msg } from '../../protocol/index.ts';
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
    // A compact frame's ts is put back near the decoder's clock: decode the sample near its own time.
    const r = decode(bytes, { now: (msg as { ts?: number }).ts });
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

// "Stream context": a frame of only `zpal` and `fill` rects has a compact shape of its own.
const typed: Msg<'frame'> = { t: 'frame', sessionId: 'abcdefghijklmnop', seq: 300, display: 0, w: 1920, h: 1080, ts: Date.now(), z: 300, rects: [{ k: 'zpal', x: 400, y: 500, w: 18, h: 19, data: new Uint8Array(20) }] };

test('a typed glyph\'s frame (one zpal rect, 20 B of data, 16-character session id) is 62 B on the wire and decodes back', () => {
  const bytes = encode(typed);
  assert.is(bytes.byteLength, 62); // 83 B in the shape with `t` and a record per rect
  const r = decode(bytes);
  assert.ok(r.ok);
  assert.equal(plain(r.ok && r.msg), plain(typed));
  const two: Msg<'frame'> = { ...typed, rects: [typed.rects[0], { k: 'fill', x: 418, y: 500, w: 9, h: 19, c: 0x073642 }, { k: 'zpal', x: 0, y: 0, w: 18, h: 19, data: new Uint8Array(3) }] };
  const r2 = decode(encode(two));
  assert.equal(plain(r2.ok && r2.msg), plain(two));
  // Session ids that are not the server's 16 base64url characters go as they are.
  for (const sessionId of ['sess-1', 'abcdefghijklmno.', 'AbCdEf-_12345678x', 'AAAAAAAAAAAAAAAA', '________________']) {
    const r3 = decode(encode({ ...typed, sessionId }));
    assert.ok(r3.ok && r3.msg.t === 'frame' && r3.msg.sessionId === sessionId, sessionId);
  }
});

test('a compact frame\'s ts comes back exactly within 24 days of the decoder\'s clock (or of a recording\'s record time)', () => {
  const day = 86_400_000;
  for (const skew of [-20 * day, -1, 0, 1, 20 * day]) {
    const r = decode(encode(typed), { now: typed.ts + skew });
    assert.ok(r.ok && r.msg.t === 'frame' && r.msg.ts === typed.ts, `skew ${skew} ms`);
  }
  // A low word that wrapped between the agent's clock and the decoder's.
  const wrap = { ...typed, ts: 2 ** 32 * 410 - 5 };
  for (const now of [wrap.ts + 10, wrap.ts - 10]) {
    const r = decode(encode(wrap), { now });
    assert.ok(r.ok && r.msg.t === 'frame' && r.msg.ts === wrap.ts, `around a wrap, now ${now - wrap.ts}`);
  }
});

test('frames outside the compact shape keep the usual one (a palette rect, no z, a fractional ts)', () => {
  const frame = SAMPLES.find((m) => m.t === 'frame')!;
  for (const f of [frame, { ...typed, z: undefined }, { ...typed, ts: typed.ts + 0.5 }]) {
    const r = decode(encode(f as Msg<'frame'>));
    assert.equal(plain(r.ok && r.msg), plain(JSON.parse(JSON.stringify(f, (_k, v) => (v instanceof Uint8Array ? { bytes: Array.from(v) } : v)))));
  }
});

test('a zpal frame recorded in the shape before the compact one still decodes (recordings)', () => {
  // A frame with one zpal rect, as the codec wrote it before the compact shape.
  const old = Buffer.from('45a56672616d65b06162636465666768696a6b6c6d6e6f70cd012c00cd0780cd0438cb427a22fd28d7d0009143a47a70616ccd0190cd01f41213c4140000000000000000000000000000000000000000cd012c', 'hex');
  const r = decode(old);
  assert.ok(r.ok && r.msg.t === 'frame' && r.msg.z === 300 && r.msg.rects.length === 1 && r.msg.rects[0].k === 'zpal' && r.msg.rects[0].w === 18);
});

test('a compact frame whose rects are not four slots each, or not zpal/fill-shaped, is refused with invalid', () => {
  const base = { sessionId: 'abcdefghijklmnop', seq: 3, display: 0, wh: 1920 * 65536 + 1080, tl: 5, z: 3 };
  for (const zr of [[1, 2, 3], [], [1, 2, 3, 'x'], ['a', 18, 19, new Uint8Array(2)], [0, 18, 19, 2 ** 40]]) {
    const r = decode(pack({ ...base, zr }));
    assert.ok(!r.ok && r.error.code === ErrorCode.Invalid, `zr ${JSON.stringify(zr)} accepted`);
  }
});

test.run();
