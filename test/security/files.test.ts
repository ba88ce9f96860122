// File transfer hostile input (docs/ARCHITECTURE.md "The server decides everything else"): names with path parts, device names and unicode
// tricks are neutralised before anyone sees them; the bytes are stored under a server-chosen id,
// never under the sender's name; oversized files are refused at the offer, before a byte moves;
// chunks need the receiver's approval, the right sender, the right offset and the offered size.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, newClientId, type Msg } from '../../protocol/index.ts';
import { sanitizeFileName } from '../../server/ws/files.ts';
import { activeSession, type ActiveSession } from '../helpers/session.ts';
import { startServer, until, type TestServer } from '../helpers/server.ts';

const MAX = 64 * 1024;
let server: TestServer;
let s: ActiveSession;

test.before(async () => {
  server = await startServer({ config: { agreement: null, files: { maxBytes: MAX, maxPerSession: 30 } } });
  s = await activeSession(server);
});
test.after(async () => {
  s?.close();
  await server?.stop();
});

const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
// Bidi overrides and isolates, zero-width and other invisible format characters.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

function assertSafe(name: string, from: string): void {
  const where = `${JSON.stringify(from)} → ${JSON.stringify(name)}`;
  assert.ok(name.length > 0 && name.length <= 200, `length: ${where}`);
  assert.not.match(name, /[\\/]/, `path separator: ${where}`);
  assert.not.match(name, /[\u0000-\u001f\u007f]/, `control character: ${where}`);
  assert.not.match(name, INVISIBLE, `invisible or bidi character: ${where}`);
  assert.not.match(name, /^[.\s]/, `leading dot or space: ${where}`);
  assert.not.match(name, /[.\s]$/, `trailing dot or space (Windows drops them): ${where}`);
  assert.not.match(name, /[<>:"|?*]/, `Windows-reserved character: ${where}`);
  assert.not.match(name, DEVICE, `device name: ${where}`);
  // What a receiver's file system would see after compatibility normalisation stays safe too.
  assert.not.match(name.normalize('NFKC'), /[\\/]|^\.\.?$/, `normalises to a path: ${where}`);
}

const NASTY = [
  '../../etc/passwd', '..\\..\\Windows\\System32\\drivers\\etc\\hosts', '/etc/shadow', 'C:\\boot.ini', 'a/b', '..', '.', '...', '.bashrc',
  'CON', 'con', 'NUL', 'nul.txt', 'COM1', 'LPT9.log', 'AUX.tar.gz', 'PRN', 'COM¹', 'CONIN$',
  'evil.exe.', 'evil.exe ', ' .hidden', 'report\u202Efdp.exe', 'invoice\u200B.pdf', '\uFEFFbom.txt',
  '..／..／etc／passwd', '．．/secret', 'a∕b', 'x\u0000.txt', 'tab\tname', 'a:b', 'what?.txt', '<script>.html', '',
];

test('sanitizeFileName: known tricks are neutralised', () => {
  for (const n of NASTY) assertSafe(sanitizeFileName(n), n);
  assert.is(sanitizeFileName('../../etc/passwd'), 'passwd');
  assert.is(sanitizeFileName('report.pdf'), 'report.pdf', 'ordinary names are kept');
  assert.is(sanitizeFileName('Überweisung März.xlsx'), 'Überweisung März.xlsx', 'non-ASCII letters are kept');
});

test('sanitizeFileName: any string becomes a safe name (property)', () => {
  const parts = fc.constantFrom('..', '.', '/', '\\', 'CON', 'nul', 'com1', '\u202E', '\u200B', '／', '．', ' ', ':', 'a', 'é', '\u0000', '$');
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.array(parts, { maxLength: 12 }).map((a) => a.join(''))), (n) => {
    assertSafe(sanitizeFileName(n), n);
  }), { numRuns: 3000 });
});

/** Customer offers a file; returns what the server registered, what the rep saw, and errors. */
async function offer(name: string, size: number): Promise<{ id: string; fileId?: string; repOffer?: Msg<'file.offer'>; error?: Msg<'error'> }> {
  const id = newClientId();
  const seen = s.customer.messages.length;
  s.customer.conn.send({ t: 'file.offer', sessionId: s.sessionId, id, name, size });
  await until(() => s.customer.messages.slice(seen).some((m) => (m.t === 'file.registered' && m.id === id) || (m.t === 'error' && m.ref === id)), 5000, 'an answer to the offer');
  const reg = s.customer.messages.slice(seen).find((m) => m.t === 'file.registered' && m.id === id) as Msg<'file.registered'> | undefined;
  if (!reg) return { id, error: s.customer.messages.slice(seen).find((m) => m.t === 'error' && m.ref === id) as Msg<'error'> };
  const repOffer = await s.rep.waitFor<Msg<'file.offer'>>((m) => m.t === 'file.offer' && m.fileId === reg.fileId);
  return { id, fileId: reg.fileId, repOffer };
}

test('through the server: the rep sees only sanitised names; bytes land under a server id inside the data dir', async () => {
  for (const name of ['../../etc/passwd', 'CON', 'nul.txt', 'a/b', '..', 'report\u202Efdp.exe', '..／..／x']) {
    const o = await offer(name, 3);
    assertSafe(o.repOffer!.name, name);
    const ev = await s.rep.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'file' && m.body.fileId === o.fileId);
    assert.ok(ev.body.kind === 'file' && ev.body.name === o.repOffer!.name, 'the transcript line carries the same safe name');
    // Send it, so it is written.
    s.rep.conn.send({ t: 'file.answer', sessionId: s.sessionId, fileId: o.fileId!, accept: true });
    await s.customer.waitFor((m) => m.t === 'file.answer' && m.fileId === o.fileId);
    s.customer.conn.send({ t: 'file.chunk', sessionId: s.sessionId, fileId: o.fileId!, offset: 0, data: new Uint8Array([1, 2, 3]) });
    s.customer.conn.send({ t: 'file.done', sessionId: s.sessionId, fileId: o.fileId!, sha256: createHash('sha256').update(Buffer.from([1, 2, 3])).digest('hex') });
    await s.rep.waitFor((m) => m.t === 'file.done' && m.fileId === o.fileId);
  }
  const stored = readdirSync(join(server.dataDir, 'files', s.sessionId));
  assert.ok(stored.length >= 7);
  for (const f of stored) assert.match(f, /^[A-Za-z0-9_-]+$/, `stored under a server id: ${f}`);
  assert.equal(readdirSync(join(server.dataDir, 'files')), [s.sessionId], 'nothing outside the session folder');
  // Private to the server's user whatever the umask (docs/SECURITY.md: data at rest).
  const mode = (p: string) => statSync(p).mode & 0o777;
  assert.is(mode(join(server.dataDir, 'files')), 0o700);
  assert.is(mode(join(server.dataDir, 'files', s.sessionId)), 0o700);
  for (const f of stored) assert.is(mode(join(server.dataDir, 'files', s.sessionId, f)), 0o600, f);
});

test('an oversized file is refused at the offer: no offer reaches the rep, no byte moves', async () => {
  const before = s.rep.messages.filter((m) => m.t === 'file.offer').length;
  const o = await offer('big.iso', MAX + 1);
  assert.is(o.error?.code, ErrorCode.TooLarge);
  const huge = await offer('huge.iso', Number.MAX_SAFE_INTEGER);
  assert.is(huge.error?.code, ErrorCode.TooLarge);
  await new Promise((r) => setTimeout(r, 300));
  assert.is(s.rep.messages.filter((m) => m.t === 'file.offer').length, before);
});

test('chunks: not before the receiver accepts, only from the sender, in order, never past the offered size', async () => {
  const o = await offer('small.bin', 10);
  const chunk = (offset: number, n: number, client = s.customer) => client.conn.send({ t: 'file.chunk', sessionId: s.sessionId, fileId: o.fileId!, offset, data: new Uint8Array(n) });
  const nextError = (client = s.customer) => client.next<Msg<'error'>>((m) => m.t === 'error', 5000);
  let e = nextError(); chunk(0, 5); assert.is((await e).code, ErrorCode.NotConsented, 'before accept');
  s.rep.conn.send({ t: 'file.answer', sessionId: s.sessionId, fileId: o.fileId!, accept: true });
  await s.customer.waitFor((m) => m.t === 'file.answer' && m.fileId === o.fileId);
  e = nextError(s.rep); chunk(0, 5, s.rep); assert.is((await e).code, ErrorCode.Forbidden, 'the receiver can\'t inject chunks');
  e = nextError(); chunk(3, 5); assert.is((await e).code, ErrorCode.Invalid, 'wrong offset');
  e = nextError(); chunk(0, 11); assert.is((await e).code, ErrorCode.TooLarge, 'more than offered');
  // A wrong checksum fails the transfer instead of delivering it.
  chunk(0, 10);
  s.customer.conn.send({ t: 'file.done', sessionId: s.sessionId, fileId: o.fileId!, sha256: '0'.repeat(64) });
  const cancel = await s.rep.waitFor<Msg<'file.cancel'>>((m) => m.t === 'file.cancel' && m.fileId === o.fileId);
  assert.match(cancel.reason, /checksum/);
});

test('the number of files per session is capped', async () => {
  let refused: Msg<'error'> | undefined;
  for (let i = 0; i < 40 && !refused; i++) refused = (await offer(`f${i}.txt`, 1)).error;
  assert.is(refused?.code, ErrorCode.TooLarge);
});

test.run();
