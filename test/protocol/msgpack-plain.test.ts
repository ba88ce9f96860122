// The customer chat's MessagePack (protocol/msgpack-plain.ts) against msgpackr as the server runs it
// (protocol/codec.ts): every message but the screen frame crosses both ways byte-compatibly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Packr, Unpackr } from '../../protocol/msgpack-plain.ts';
import { decode, encode } from '../../protocol/index.ts';
import { SAMPLES } from './samples.ts';
import { Unpackr as MsgpackrUnpackr } from 'msgpackr';

const plainPackr = new Packr();
const plainUnpackr = new Unpackr();

/** Bytes as plain arrays (msgpackr gives Buffers, the plain reader Uint8Arrays); undefined keys dropped. */
function plain(x: unknown): unknown {
  if (x instanceof Uint8Array) return { bytes: Array.from(x) };
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  return x;
}

for (const msg of SAMPLES.filter((m) => m.t !== 'frame')) {
  test(`${msg.t}: the server's bytes read plainly, the plain bytes pass the server's decode`, () => {
    assert.equal(plain(plainUnpackr.unpack(encode(msg))), plain(msg));
    const r = decode(plainPackr.pack(msg));
    if (!r.ok) assert.unreachable(`${msg.t}: ${r.error.code} ${r.error.message}`);
    else assert.equal(plain(r.msg), plain(msg));
  });
}

test('a screen frame (records) is refused by the plain reader rather than misread', () => {
  assert.throws(() => plainUnpackr.unpack(encode(SAMPLES.find((m) => m.t === 'frame')!)));
});

test('edge values cross both ways: integer widths, 64–127 (record bytes to msgpackr), floats, lengths, undefined', () => {
  const ints = [0, 1, 63, 64, 100, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53)];
  const value = {
    t: 'x', ints, floats: [0.5, -1.25, 1e300, Number.MAX_SAFE_INTEGER + 0.5],
    strs: ['', 'a'.repeat(31), 'b'.repeat(32), 'c'.repeat(255), 'd'.repeat(256), 'é'.repeat(40000), '✓ مرحبا'],
    bins: [0, 255, 256, 65535, 65536].map((n) => new Uint8Array(n).fill(7)),
    arrays: [new Array(15).fill(1), new Array(16).fill(2), new Array(70000).fill(3)],
    maps: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    nothing: null, yes: true, no: false, gone: undefined,
  };
  const viaServer = plainUnpackr.unpack(encode(value as never)) as Record<string, unknown>;
  assert.equal(plain(viaServer), plain(value));
  assert.ok('gone' in viaServer && viaServer.gone === undefined);
  // The other way, to a msgpackr reader whose record slots cover 0x40–0x7f as the server's first ones do.
  const slots = Array.from({ length: 64 }, (_, i) => Object.assign([`s${i}`], { isShared: true }));
  const server = new MsgpackrUnpackr({ useRecords: true, structures: slots, maxSharedStructures: 64, mapsAsObjects: true, int64AsType: 'number' });
  assert.equal(plain(server.unpack(plainPackr.pack(value))), plain(value));
});

test('truncated and unknown input throws (the codec turns that into a Malformed error)', () => {
  const bytes = plainPackr.pack({ t: 'chat', text: 'hello' });
  for (let n = 0; n < bytes.length; n++) assert.throws(() => plainUnpackr.unpack(bytes.subarray(0, n)));
  assert.throws(() => plainUnpackr.unpack(new Uint8Array([0xc1])));
  assert.throws(() => plainUnpackr.unpack(new Uint8Array([0xd4, 0x05, 0x00])));
  assert.throws(() => plainUnpackr.unpack(new Uint8Array([0xc0, 0xc0])));
});

test('a __proto__ key lands as a plain property, never on the prototype', () => {
  const bytes = new Uint8Array([0x81, 0xa9, ...new TextEncoder().encode('__proto__'), 0x81, 0xa1, 0x78, 0x01]);
  const o = plainUnpackr.unpack(bytes) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(o), Object.prototype);
  assert.equal((o as { x?: unknown }).x, undefined);
});

test.run();
