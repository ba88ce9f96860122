// Small agent parts in isolation: the ack-paced capture loop, the application-sharing mask, the
// physical key map and the command line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Key } from '@nut-tree-fork/shared';
import { maskOutside } from '../../agent/app-sharing/mask.ts';
import { CaptureLoop, type Encoder, type OutFrame } from '../../agent/capture/capture-loop.ts';
import { frameBytes, MAX_FRAMES } from '../../agent/capture/pacing.ts';
import { keyFromContext, parseArgs } from '../../agent/command-line.ts';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '../../protocol/index.ts';
import { Downloads, sanitizeName } from '../../agent/session/downloads.ts';
import { InputInjector } from '../../agent/input/input-injector.ts';
import { keyName } from '../../agent/input/keymap.ts';
import type { RawFrame } from '../../agent/capture/screen-source.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error('timed out'); await sleep(10); }
}

function fakes(opts: { changing?: boolean; captureMs?: number } = {}) {
  let captures = 0;
  const sent: OutFrame[] = [];
  const encoders: Array<Encoder & { resets: number }> = [];
  const source = {
    displays: () => [{ id: 1, name: 's', x: 0, y: 0, w: 4, h: 4, scale: 1, primary: true }],
    capture: async (): Promise<RawFrame> => { captures++; await sleep(opts.captureMs ?? 1); return { width: 4, height: 4, data: Buffer.alloc(64) }; },
  };
  const makeEncoder = () => {
    let first = true;
    const e = {
      quality: 0, resets: 0,
      reset() { first = true; e.resets++; },
      async encode() { const changed = first || opts.changing !== false; first = false; return changed ? { rects: [{ k: 'fill' as const, x: 0, y: 0, w: 4, h: 4, c: 0 }], bytes: 4 } : { rects: [], bytes: 0 }; },
    };
    encoders.push(e);
    return e;
  };
  const loop = new CaptureLoop({ source, makeEncoder, send: (f) => sent.push(f), framesInFlight: 2, idleMs: 5, ackTimeoutMs: 60_000 });
  return { loop, sent, encoders, captures: () => captures };
}

test('capture: at most N frames in flight; each ack frees a slot', async () => {
  // Waits for what must come, then a little more for what must not (a loaded machine is slow).
  const f = fakes();
  try {
    f.loop.start();
    await until(() => f.sent.length >= 2, 5000);
    await sleep(100);
    assert.is(f.sent.length, 2, 'two in flight, then it waits');
    f.loop.ack(f.sent[0].seq);
    await until(() => f.sent.length >= 3, 5000);
    await sleep(50);
    assert.is(f.sent.length, 3);
    f.loop.ack(f.sent[2].seq); // acks are cumulative
    await until(() => f.sent.length >= 5, 5000);
    await sleep(50);
    assert.is(f.sent.length, 5);
  } finally { f.loop.stop(); }
});

test('capture: an idle screen sends nothing; refresh sends the whole screen again', async () => {
  const f = fakes({ changing: false });
  f.loop.start();
  await sleep(60);
  f.loop.ack(f.sent.at(-1)!.seq);
  const n = f.sent.length;
  await sleep(100);
  assert.is(f.sent.length, n, 'idle: no frames');
  assert.ok(f.captures() > 3, 'but it keeps looking');
  f.loop.refresh();
  await sleep(50);
  assert.is(f.sent.length, n + 1);
  f.loop.stop();
});

test('capture: stop while capturing throws the pixels away', async () => {
  const f = fakes({ captureMs: 50 });
  f.loop.start();
  await sleep(10);
  f.loop.stop();
  await sleep(100);
  assert.is(f.sent.length, 0);
});

/**
 * A real capture loop whose every frame is `size` bytes, sent through a simulated link (server →
 * viewer: `bytesPerSec`, frames one after another, `oneWayMs` each way); the viewer acks on arrival.
 */
function linked(size: number | ((n: number, photoBudget: number | null) => number), bytesPerSec: number, oneWayMs: number, ackTimeoutMs?: number) {
  const sent: { seq: number; at: number; ackedAt?: number }[] = [];
  let linkFree = 0, maxInFlight = 0;
  let loop: CaptureLoop;
  const source = {
    displays: () => [{ id: 1, name: 's', x: 0, y: 0, w: 4, h: 4, scale: 1, primary: true }],
    capture: async (): Promise<RawFrame> => { await sleep(1); return { width: 4, height: 4, data: Buffer.alloc(64) }; },
  };
  let n = 0;
  const makeEncoder = () => {
    const e = { photoBudget: null as number | null, reset() {}, async encode() { const b = typeof size === 'number' ? size : size(n++, e.photoBudget); return { rects: [{ k: 'jpeg' as const, x: 0, y: 0, w: 4, h: 4, data: new Uint8Array(b) }], bytes: b }; } };
    return e;
  };
  const send = (f: OutFrame) => {
    const now = Date.now();
    const done = Math.max(now, linkFree) + (frameBytes(f.rects) * 1000) / bytesPerSec;
    linkFree = done;
    const rec: { seq: number; at: number; ackedAt?: number } = { seq: f.seq, at: now };
    sent.push(rec);
    setTimeout(() => { rec.ackedAt = Date.now(); loop.ack(f.seq); }, done + 2 * oneWayMs - now);
    queueMicrotask(() => { maxInFlight = Math.max(maxInFlight, loop.pacing.frames); }); // counted once the loop noted it
  };
  loop = new CaptureLoop({ source, makeEncoder, send, idleMs: 5, linkBudget: true, ...(ackTimeoutMs ? { ackTimeoutMs } : {}) });
  return { loop, sent, maxInFlight: () => maxInFlight };
}

test('pacing: on a long round trip frames in flight follow the bandwidth-delay product, not two', async () => {
  // 2 MB/s, 200 ms round trip: two 4 KB frames per round trip would be 10 frames/s.
  const l = linked(4000, 2_000_000, 100);
  l.loop.start();
  try {
    await sleep(2000);
    const n = l.sent.length;
    assert.ok(n > 60, `${n} frames in 2 s (two in flight: ≈ 20)`);
    assert.ok(l.maxInFlight() <= MAX_FRAMES, `at most ${MAX_FRAMES} in flight, saw ${l.maxInFlight()}`);
    const p = l.loop.pacing;
    assert.ok(p.minRttMs >= 200 && p.minRttMs < 300, `round trip ${p.minRttMs} ms`);
    assert.is(p.photoBudget, null, 'acks within 2 round trips + 150 ms: photo quality not limited');
  } finally { l.loop.stop(); }
});

test('pacing: on a slow link the backlog stays bounded and late acks count (short ack timeout)', async () => {
  // 32 KB/s, 200 ms round trip, 16 KB frames (0.5 s each on the link); the ack timeout is 300 ms,
  // far below a frame's time on the link: timed-out frames must keep counting.
  const l = linked(16_000, 32_000, 100, 300);
  l.loop.start();
  try {
    await sleep(4000);
    const acked = l.sent.filter((f) => f.ackedAt !== undefined);
    const delays = acked.map((f) => f.ackedAt! - f.at);
    assert.ok(acked.length >= 5, `${acked.length} frames acked`);
    // Without bound each frame would wait longer than the one before (the old rule: 2 new frames per timeout).
    assert.ok(Math.max(...delays.slice(-3)) < 2500, `ack delays ${delays.join(', ')} ms`);
    assert.ok(l.maxInFlight() <= 6, `frames in flight ${l.maxInFlight()}`); // 2, plus a probe per 300 ms before the first ack
  } finally { l.loop.stop(); }
});

test('link adaptation: photo frames that lag past 2 round trips + 150 ms get the bytes the link carries in a round trip + 150 ms', async () => {
  // 32 KB/s, 200 ms round trip; small frames (a cursor) between photo frames that want 64 KB
  // (2 s on the link) and take the budget the loop gives the encoder.
  const l = linked((i, budget) => (i % 2 ? 200 : Math.min(64_000, budget ?? 64_000)), 32_000, 100);
  l.loop.start();
  try {
    await sleep(5000);
    const b = l.loop.pacing.photoBudget;
    assert.ok(b !== null && b > 5_000 && b < 20_000, `photo budget ${b} B (≈ 32 KB/s × 350 ms)`);
  } finally { l.loop.stop(); }
});

test('pacing: with no ack at all, one probe per stall and never more than the bound', async () => {
  const f = fakes();
  const loop = new CaptureLoop({ ...(f.loop as unknown as { opts: ConstructorParameters<typeof CaptureLoop>[0] }).opts, framesInFlight: undefined, ackTimeoutMs: 50, send: (x) => f.sent.push(x) });
  loop.start();
  try {
    await sleep(300);
    const n = f.sent.length;
    assert.ok(n > 2 && n < 8, `${n} frames: two, then about one probe per 50 ms`);
    await sleep(1200);
    assert.is(f.sent.length, MAX_FRAMES, 'bounded');
    loop.ack(f.sent[0].seq); // very late: still counts (a round trip of over a second)
    assert.ok(loop.pacing.minRttMs >= 1000, `round trip ${loop.pacing.minRttMs} ms`);
    assert.is(loop.pacing.frames, MAX_FRAMES - 1);
    loop.ack(f.sent.at(-1)!.seq); // everything arrived after all
    await until(() => f.sent.length > MAX_FRAMES, 2000);
  } finally { loop.stop(); }
});

test('capture: a failing capture is retried, not fatal', async () => {
  const f = fakes();
  let fail = 2;
  const source = (f.loop as unknown as { opts: { source: { capture: () => Promise<RawFrame> } } }).opts.source;
  const real = source.capture;
  source.capture = async () => { if (fail-- > 0) throw new Error('display gone'); return real(); };
  const errors: string[] = [];
  f.loop.onError = (e) => errors.push(e.message);
  f.loop.start();
  await until(() => f.sent.length > 0, 5000);
  assert.equal(errors, ['display gone', 'display gone']);
  f.loop.stop();
});

test('displays: input maps per display (origin + x/y, clamped); frames come for each display', async () => {
  const displays = [
    { id: 1, name: 'left', x: 0, y: 0, w: 1920, h: 1080, scale: 1, primary: true },
    { id: 2, name: 'right', x: 1920, y: -200, w: 1280, h: 1024, scale: 1, primary: false },
  ];
  const input = new InputInjector({ displays: () => displays });
  assert.equal(input.map(0, 10, 20), { x: 10, y: 20 });
  assert.equal(input.map(1, 10, 20), { x: 1930, y: -180 });
  assert.equal(input.map(1, 5000, -5), { x: 3199, y: -200 }, 'clamped to the display');
  assert.is(input.map(2, 0, 0), null, 'no such display');
  const sent: OutFrame[] = [];
  const loop = new CaptureLoop({
    source: { displays: () => displays, capture: async (i) => ({ width: displays[i].w, height: displays[i].h, data: Buffer.alloc(0) }) },
    makeEncoder: () => { let first = true; return { quality: 0, reset() { first = true; }, async encode() { const r = first ? [{ k: 'fill' as const, x: 0, y: 0, w: 1, h: 1, c: 0 }] : []; first = false; return { rects: r, bytes: 0 }; } }; },
    send: (f) => sent.push(f), framesInFlight: 4, idleMs: 5,
  });
  loop.start();
  await until(() => sent.length >= 2, 2000);
  loop.stop();
  assert.equal(sent.map((f) => [f.display, f.w, f.h]).sort(), [[0, 1920, 1080], [1, 1280, 1024]]);
});

test('mask: only the kept boxes keep their pixels', () => {
  const frame: RawFrame = { width: 4, height: 3, data: Buffer.alloc(48, 0x77) };
  maskOutside(frame, [{ x: 1, y: 1, w: 2, h: 5 }]);
  const px = (x: number, y: number) => frame.data.readUInt32BE((y * 4 + x) * 4);
  assert.is(px(1, 1), 0x77777777);
  assert.is(px(2, 2), 0x77777777);
  for (const [x, y] of [[0, 0], [1, 0], [0, 1], [3, 1], [3, 2]]) assert.is(px(x, y), 0x000000ff, `${x},${y}`);
});

test('keys: physical codes map to nut-js keys', () => {
  const k = (c: string) => { const n = keyName(c); return n === null ? null : (Key as unknown as Record<string, number>)[n]; };
  assert.is(k('KeyA'), Key.A);
  assert.is(k('Digit1'), Key.Num1);
  assert.is(k('ShiftLeft'), Key.LeftShift);
  assert.is(k('Enter'), Key.Enter);
  assert.is(k('ArrowUp'), Key.Up);
  assert.is(k('Numpad5'), Key.NumPad5);
  assert.is(k('F12'), Key.F12);
  assert.is(k('Backquote'), Key.Grave);
  assert.is(keyName('Unknown'), null);
  assert.is(keyName('constructor'), null);
  for (const code of ['Escape', 'Tab', 'Space', 'Backspace', 'Delete', 'ControlLeft', 'AltRight', 'MetaLeft', 'BracketLeft', 'Quote', 'Slash', 'PageDown', 'NumpadEnter']) {
    assert.type(k(code), 'number', code);
  }
});

test('cli: key from --key or the file name; options parsed', () => {
  const o = parseArgs(['--server', 'http://h:1', '--no-browser']);
  assert.is(o.server, 'http://h:1');
  assert.ok(o.noBrowser);
  assert.is(keyFromContext(o, '/tmp/bridge-agent-XRR5363'), 'XRR5363');
  assert.is(keyFromContext(o, 'C:\\Users\\me\\Downloads\\bridge-agent-xrr5363.exe'.replace(/\\/g, '/')), 'XRR5363');
  assert.is(keyFromContext(parseArgs(['--key=abc-defg']), '/x/node'), 'ABCDEFG');
  assert.is(keyFromContext(o, '/usr/bin/node'), null);
  assert.throws(() => parseArgs(['--bogus']));
});

test('downloads: names lose path parts and reserved characters', () => {
  assert.is(sanitizeName('../../etc/passwd'), 'passwd');
  assert.is(sanitizeName('C:\\Windows\\evil.exe'), 'evil.exe');
  assert.is(sanitizeName('.bashrc'), 'bashrc');
  assert.is(sanitizeName('a<b>:c|d?.txt'), 'abcd.txt');
  assert.is(sanitizeName('..'), 'file');
  assert.is(sanitizeName('CON.txt'), 'file-CON.txt');
  assert.is(sanitizeName('report.pdf. '), 'report.pdf');
});

test('downloads: each transfer has its own temp file (by file id), so overlapping transfers never mix', () => {
  const root = mkdtempSync(join(tmpdir(), 'bridge-dl-'));
  try {
    const tmp = join(root, 'tmp'), dest = join(root, 'Downloads');
    mkdirSync(tmp);
    const d = new Downloads(() => tmp, () => dest);
    const from = { role: 'rep' as const, id: 'r', name: 'Rep' };
    const body = { b: 'report B\n', c: 'report C, longer\n' };
    const offer = (fileId: string, name: string, size: number) => d.fromServer({ t: 'file.offer', sessionId: 's', id: `o-${fileId}`, fileId, name, size, from } as Message);
    offer('fileA', 'a.txt', 5);
    offer('fileB', 'b.txt', body.b.length);
    d.answered('fileA', false); // declined: one transfer fewer in flight
    offer('fileC', 'c.txt', body.c.length); // a count would now name it like B's
    offer('../../evil', 'x.txt', 1); // not a name for the disk
    d.answered('fileB', true);
    d.answered('fileC', true);
    for (const [id, text] of [['fileB', body.b], ['fileC', body.c]] as const) d.fromServer({ t: 'file.chunk', sessionId: 's', fileId: id, offset: 0, data: new TextEncoder().encode(text) } as Message);
    for (const [id, text] of [['fileB', body.b], ['fileC', body.c]] as const) d.fromServer({ t: 'file.done', sessionId: 's', fileId: id, sha256: createHash('sha256').update(text).digest('hex') } as Message);
    assert.is(readFileSync(join(dest, 'b.txt'), 'utf8'), body.b);
    assert.is(readFileSync(join(dest, 'c.txt'), 'utf8'), body.c);
    assert.equal(readdirSync(tmp), [], 'temp files gone');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
