// One valid example of every message type (checked against MESSAGE_TYPES by roundtrip.test.ts).
import type { Message, SessionInfo } from '../../protocol/index.ts';

const sessionId = 'sess-1';
const actor = { role: 'rep' as const, id: 'rep-1', name: 'Riley' };
const info: SessionInfo = {
  id: sessionId, state: 'active', queue: { kind: 'team', id: 't1' }, queueName: 'Tier 1',
  customer: { name: 'Ada', company: 'ACME', issue: 'Printer', description: 'It is on fire', platform: 'linux-x64' },
  reps: [{ id: 'rep-1', name: 'Riley' }], primaryRepId: 'rep-1', createdAt: 1700000000000, queuedAt: 1700000000100,
  acceptedAt: 1700000000200, endedAt: null, externalKey: 'INC-7', customerOnline: true, agentOnline: false, endReason: null, redirectUrl: null, screenRequest: { id: 'r1', want: 'control', repId: 'rep-1', repName: 'Ana', at: 1700000000300, expiresAt: 1700000300300 }, sharing: 'view',
};
const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

export const SAMPLES: Message[] = [
  { t: 'hello', v: 1, role: 'customer', credential: 'tok', client: { name: 'chat', version: '1', platform: 'web' } },
  { t: 'resume', v: 1, role: 'rep', resumeToken: 'r', lastSeq: { [sessionId]: 12, other: 0 } },
  {
    t: 'welcome', v: 1, role: 'customer', participantId: 'p1', sessionId, resumeToken: 'r', serverTime: 1700000000000,
    customer: { companyName: 'ACME', agreement: { text: 'ok?', timeoutSec: 60 }, recordingPrompt: true, notices: ['n'], survey: [{ id: 'rating', text: 'How?', type: 'rating' }], fileMaxBytes: 1000, watermark: true },
  },
  { t: 'welcome', v: 1, role: 'rep', participantId: 'rep-1', resumeToken: 'r', serverTime: 1, rep: { id: 'rep-1', username: 'riley', name: 'Riley', isAdmin: false, teams: [{ id: 't1', name: 'Tier 1' }], survey: [{ id: 'resolved', text: 'Resolved?', type: 'choice', choices: ['Yes', 'No'] }], fileMaxBytes: 5 } },
  { t: 'error', code: 'invalid', message: 'bad', ref: 'x' },
  { t: 'ping', ts: 5 },
  { t: 'pong', ts: 5 },
  { t: 'event', sessionId, seq: 3, at: 1700000000000, id: 'c1', from: actor, body: { kind: 'chat', text: 'hi' } },
  { t: 'event', sessionId, seq: 4, at: 1700000000000, from: { role: 'system', name: 'ACME' }, body: { kind: 'file', fileId: 'f', name: 'a.txt', size: 3, status: 'done' } },
  { t: 'ack', sessionId, id: 'c1', seq: 3 },
  { t: 'chat', sessionId, id: 'c2', text: 'héllo ✓ 日本' },
  { t: 'nudge', sessionId, id: 'c3' },
  { t: 'url.push', sessionId, id: 'c4', url: 'https://example.com/kb?id=1' },
  { t: 'notice', sessionId, id: 'c5', text: 'Maintenance at 5', leaveAllowed: true },
  { t: 'agreement', sessionId, id: 'c6', accepted: true },
  { t: 'recording', sessionId, id: 'c7', allowed: false },
  { t: 'typing', sessionId, active: true, from: actor },
  { t: 'session', session: info },
  { t: 'queue.status', sessionId, position: 2, estimatedWaitSec: null, message: 'wait' },
  { t: 'rep.queues', queues: [{ ref: { kind: 'general' }, name: 'General', sessions: [info] }], mine: [info], reps: [{ id: 'rep-1', name: 'Riley', availability: 'busy' }] },
  { t: 'availability', status: 'away' },
  { t: 'accept', sessionId },
  { t: 'join', sessionId },
  { t: 'transfer', sessionId, to: { kind: 'rep', id: 'rep-2' } },
  { t: 'transfer', sessionId, to: { kind: 'general' } },
  { t: 'hold', sessionId },
  { t: 'end', sessionId, reason: 'done' },
  { t: 'survey', sessionId, id: 'c8', answers: { rating: 5, comment: 'great', resolved: true } },
  { t: 'done', ref: 'c8', detail: 'stored' },
  { t: 'canned.changed' },
  { t: 'sysinfo', sessionId, info: { os: 'linux', release: '6', arch: 'x64', hostname: 'h', cpu: 'c', cores: 2, memoryMB: 4096, agentVersion: '0.1', displays: [{ id: 0, name: 'd', x: 0, y: 0, w: 1920, h: 1080, scale: 1, primary: true }] } },
  { t: 'diag.request', sessionId, id: 'c9', requestId: 'd1', from: actor },
  { t: 'diag.answer', sessionId, requestId: 'd1', allowed: true },
  { t: 'diag.report', sessionId, requestId: 'd1', report: { collectedAt: 1700000000000, platform: 'linux', sections: [{ id: 'os', title: 'Operating system and version', status: 'ok', ms: 12, data: { name: 'Debian', version: '12' }, text: 'Debian GNU/Linux 12' }] } },
  { t: 'screen.request', sessionId, want: 'control', from: actor },
  { t: 'screen.cancel', sessionId, requestId: 'r1' },
  { t: 'screen.decline', sessionId, requestId: 'r1' },
  { t: 'grant', sessionId, grant: 'view', epoch: 2, reps: ['rep-1'], apps: null },
  { t: 'input.paused', sessionId, untilMs: 1700000001000 },
  {
    t: 'frame', sessionId, seq: 9, display: 0, w: 1920, h: 1080, ts: 1700000000000, rects: [
      { k: 'fill', x: 0, y: 0, w: 10, h: 10, c: 0xff8010 },
      { k: 'palette', x: 10, y: 0, w: 2, h: 2, colors: bytes(6), data: bytes(9) },
      { k: 'jpeg', x: 0, y: 10, w: 8, h: 8, data: bytes(300, 1) },
      { k: 'copy', x: 0, y: 100, w: 100, h: 50, sx: 0, sy: 120 },
    ],
  },
  {
    t: 'frame', sessionId, seq: 10, display: 0, w: 1920, h: 1080, ts: 1700000000000, z: 41, rects: [
      { k: 'zpal', x: 10, y: 0, w: 18, h: 19, data: bytes(8) },
    ],
  },
  { t: 'frame.ack', sessionId, seq: 9 },
  { t: 'frame.refresh', sessionId, display: 0 },
  { t: 'pointer', sessionId, x: 10, y: -5, display: 1 },
  { t: 'button', sessionId, x: 1, y: 2, button: 'left', down: true },
  { t: 'wheel', sessionId, x: 1, y: 2, dx: 0, dy: -3 },
  { t: 'key', sessionId, code: 'KeyA', down: false },
  { t: 'key.combo', sessionId, codes: ['ControlLeft', 'AltLeft', 'Delete'] },
  { t: 'file.offer', sessionId, id: 'c9', name: 'log.txt', size: 1234, mime: 'text/plain' },
  { t: 'file.answer', sessionId, fileId: 'f1', accept: true },
  { t: 'file.registered', sessionId, id: 'c9', fileId: 'f1' },
  { t: 'file.chunk', sessionId, fileId: 'f1', offset: 0, data: bytes(1234, 3) },
  { t: 'file.progress', sessionId, fileId: 'f1', bytes: 1234, total: 1234 },
  { t: 'file.done', sessionId, fileId: 'f1', sha256: 'a'.repeat(64) },
  { t: 'file.cancel', sessionId, fileId: 'f1', reason: 'no' },
];
