// Property-based: malformed, truncated, oversized and wrong-typed input always yields a typed
// result from decode() and never throws (thousands of generated cases).
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode, encode, ErrorCode, MAX_BULK_BYTES, MAX_CONTROL_BYTES, type DecodeResult } from '../../protocol/index.ts';
import { SAMPLES } from './samples.ts';

const CODES = new Set<string>(Object.values(ErrorCode));
const packr = new Packr({ useRecords: true, moreTypes: false });
const RUNS = 2000;

function safeDecode(bytes: Uint8Array): DecodeResult {
  let r: DecodeResult;
  try {
    r = decode(bytes);
  } catch (e) {
    throw new Error(`decode threw on ${Buffer.from(bytes.subarray(0, 40)).toString('hex')}: ${(e as Error).message}`);
  }
  if (!r.ok) {
    assert.ok(CODES.has(r.error.code), `unknown code ${r.error.code}`);
    assert.type(r.error.message, 'string');
  }
  return r;
}

test('random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (b) => { safeDecode(b); }), { numRuns: RUNS });
});

test('random msgpack values (maps, arrays, scalars)', () => {
  fc.assert(fc.property(fc.anything({ withBigInt: false, withTypedArray: true, withDate: true, withMap: false, withSet: false }), (value) => {
    let bytes: Uint8Array;
    try { bytes = packr.pack(value); } catch { return; }
    const r = safeDecode(bytes);
    if (!r.ok) return;
    assert.ok(typeof (r.msg as { t?: unknown }).t === 'string');
  }), { numRuns: RUNS });
});

test('truncated messages', () => {
  const encoded = SAMPLES.map((m) => encode(m));
  fc.assert(fc.property(fc.nat(encoded.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), (i, frac) => {
    const b = encoded[i];
    const cut = Math.floor(b.length * frac);
    if (cut >= b.length) return;
    const r = safeDecode(b.subarray(0, cut));
    assert.not.ok(r.ok, `truncated ${SAMPLES[i].t} at ${cut}/${b.length} decoded`);
  }), { numRuns: RUNS });
});

test('bit flips in valid messages', () => {
  const encoded = SAMPLES.map((m) => encode(m));
  fc.assert(fc.property(fc.nat(encoded.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (i, flips) => {
    const b = Uint8Array.from(encoded[i]);
    for (const [pos, x] of flips) b[pos % b.length] ^= x;
    safeDecode(b);
  }), { numRuns: RUNS });
});

test('wrong-typed fields are rejected with `invalid`', () => {
  const bad = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
  let rejected = 0;
  fc.assert(fc.property(fc.nat(SAMPLES.length - 1), fc.nat(), bad, (i, k, value) => {
    const msg = { ...SAMPLES[i] } as Record<string, unknown>;
    const keys = Object.keys(msg).filter((x) => x !== 't');
    if (keys.length === 0) return;
    const key = keys[k % keys.length];
    if (typeof value === typeof msg[key] && !Array.isArray(value)) return;
    if (Array.isArray(msg[key]) && Array.isArray(value)) return;
    msg[key] = value;
    let bytes: Uint8Array;
    try { bytes = packr.pack(msg); } catch { return; }
    const r = safeDecode(bytes);
    if (!r.ok) {
      rejected++;
      assert.is(r.error.code, ErrorCode.Invalid, `${SAMPLES[i].t}.${key}=${JSON.stringify(value)} → ${r.error.code}`);
    }
  }), { numRuns: RUNS });
  assert.ok(rejected > RUNS / 2, `only ${rejected} rejected`);
});

test('oversized messages are refused before decoding', () => {
  const chat = encode({ t: 'chat', sessionId: 's', id: 'i', text: 'x'.repeat(10) });
  const big = new Uint8Array(MAX_CONTROL_BYTES + 10);
  big.set(chat);
  const r1 = decode(big);
  assert.ok(!r1.ok);
  // a control type over the control limit (the bytes are valid msgpack with trailing garbage, or not; size wins)
  const longChat = packr.pack({ t: 'chat', sessionId: 's', id: 'i', text: 'x'.repeat(MAX_CONTROL_BYTES) });
  const r2 = decode(longChat);
  assert.ok(!r2.ok && r2.error.code === ErrorCode.TooLarge, JSON.stringify(!r2.ok && r2.error));
  const huge = new Uint8Array(MAX_BULK_BYTES + 1);
  const r3 = decode(huge);
  assert.ok(!r3.ok && r3.error.code === ErrorCode.TooLarge);
  // a frame may be bigger than a control message
  const bigFrame = encode({ t: 'frame', sessionId: 's', seq: 1, display: 0, w: 100, h: 100, ts: 1, rects: [{ k: 'jpeg', x: 0, y: 0, w: 100, h: 100, data: new Uint8Array(2 * MAX_CONTROL_BYTES) }] });
  assert.ok(decode(bigFrame).ok);
});

test('non-binary input', () => {
  for (const x of ['text', null, undefined, 42, {}, [1, 2]]) {
    const r = decode(x as unknown as Uint8Array);
    assert.ok(!r.ok && r.error.code === ErrorCode.Malformed);
  }
  assert.ok(!decode(new Uint8Array(0)).ok);
});

test.run();

test('a message that redefines the shared frame shapes cannot disturb later messages', () => {
  const frame = encode({ t: 'frame', sessionId: 's', seq: 1, display: 0, w: 10, h: 10, ts: 1, rects: [{ k: 'fill', x: 0, y: 0, w: 10, h: 10, c: 0xff8010 }] });
  const before = decode(frame);
  assert.ok(before.ok);
  // Foreign packers number their inline record definitions from the same slots as our shared
  // shapes; decoding their output (valid or not) must leave the shapes as they were.
  fc.assert(fc.property(fc.array(fc.dictionary(fc.string({ maxLength: 6 }), fc.anything({ maxDepth: 2 })), { maxLength: 8 }), (objs) => {
    safeDecode(new Packr({ useRecords: true }).pack(objs));
    safeDecode(new Packr({ useRecords: true }).pack({ t: 'chat', sessionId: 's', id: 'i', text: 'x', extra: objs }));
    assert.equal(decode(frame), before);
  }), { numRuns: 500 });
});
