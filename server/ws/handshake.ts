// hello / resume → welcome. Customers and agents prove themselves with the session token from
// join (hello) or the resume token from an earlier welcome; reps were authenticated by their
// cookie at upgrade and resume with a token derived from it.
import { CLOSE_LOGIN_ENDED, ErrorCode, PROTOCOL_VERSION, ProtocolError, type CustomerSettings, type Msg } from '../../protocol/index.ts';
import { knownZone } from '../../protocol/i18n/intl.ts';
import type { Ctx } from '../context.ts';
import type { SiteSettings, SiteTexts } from '../../protocol/settings.ts';
import type { Language } from '../../protocol/i18n/locales.ts';
import { repResumeToken } from '../http/rep-auth.ts';
import { hashToken, randomToken } from '../secrets.ts';
import { resendDiagnosticsRequest } from './diagnostics.ts';
import { resendRebootRequest } from './reboot.ts';
import type { Peer } from './peer.ts';

/** A resume token stays valid this long while its connection is up (it is re-dated on close). */
const LIVE_RESUME_MS = 24 * 3600_000;

 /** The customer-side texts of each language (docs/ARCHITECTURE.md "Languages"). */
function customerTranslations(all: SiteSettings['translations']): Pick<CustomerSettings, 'translations'> {
  const out: NonNullable<CustomerSettings['translations']> = {};
  for (const [lang, tr] of Object.entries(all) as [Language, SiteTexts][]) {
    out[lang] = { ...(tr.agreement ? { agreement: tr.agreement } : {}), ...(tr.notices ? { notices: tr.notices } : {}), ...(tr.survey ? { survey: tr.survey } : {}) };
  }
  return Object.keys(out).length ? { translations: out } : {};
}

export async function handshake(ctx: Ctx, peer: Peer, msg: Msg<'hello'> | Msg<'resume'>): Promise<void> {
  if (msg.v !== PROTOCOL_VERSION) throw new ProtocolError(ErrorCode.VersionMismatch, `the client speaks protocol version ${msg.v}, this server speaks version ${PROTOCOL_VERSION}`);
  if (msg.role !== peer.role) throw new ProtocolError(ErrorCode.Invalid, `role ${msg.role} does not belong on /ws/${peer.role}`);
  if (peer.role === 'rep') return repHandshake(ctx, peer, msg);
  return customerHandshake(ctx, peer, msg);
}

async function customerHandshake(ctx: Ctx, peer: Peer, msg: Msg<'hello'> | Msg<'resume'>): Promise<void> {
  const now = Date.now();
  let resumeToken: string;
  const part = msg.t === 'hello'
    ? await ctx.store.getParticipantByToken(hashToken(msg.credential))
    : await ctx.store.getParticipantByResume(hashToken(msg.resumeToken), now);
  if (!part) throw new ProtocolError(ErrorCode.Unauthorized, msg.t === 'hello' ? 'unknown session token: join the session again' : 'the resume token is unknown or expired');
  if (part.role !== peer.role) throw new ProtocolError(ErrorCode.Forbidden, `a ${part.role} token can't open /ws/${peer.role}`);
  const ls = await ctx.hub.sessions.load(part.session_id);
  if (!ls) throw new ProtocolError(ErrorCode.NotFound, 'the session no longer exists');
  if (ls.closed && (ls.row.ended_at ?? 0) + ctx.config.endedGraceSec * 1000 < now) throw new ProtocolError(ErrorCode.Ended, 'this support session has ended');
  resumeToken = msg.t === 'resume' ? msg.resumeToken : randomToken(32);
  await ctx.store.updateParticipant(part.id, { resume_token_hash: hashToken(resumeToken), resume_expires_at: now + LIVE_RESUME_MS, left_at: null });
  const after = msg.t === 'resume' ? msg.lastSeq[ls.id] ?? 0 : 0;

  peer.sessionId = ls.id;
  peer.participantId = part.id;
  // Only shown to reps, in memory: a customer's next hello says it again.
  if (msg.t === 'hello') ls.customerTimeZone = knownZone(msg.client?.timeZone) ?? ls.customerTimeZone;
  peer.actor = { role: peer.role, id: part.id, name: part.name || (peer.role === 'agent' ? 'Customer agent' : 'Customer') };
  const answered = await ctx.hub.timers.agreementAnswered(ls);
  const c = ctx.settings.get();
  const customer: CustomerSettings = {
    companyName: c.companyName,
    // Already answered for this session (e.g. in the browser before the agent started): don't ask again.
    agreement: c.agreement && !answered ? { text: c.agreement.text, timeoutSec: c.agreement.timeoutSec } : null,
    recordingPrompt: c.recording.policy === 'ask',
    notices: c.notices,
    survey: c.surveys.customer,
    fileMaxBytes: c.files.maxBytes,
    watermark: c.watermark,
    ...customerTranslations(c.translations),
  };
  peer.send({ t: 'welcome', v: PROTOCOL_VERSION, role: peer.role, participantId: part.id, sessionId: ls.id, resumeToken, customer, serverTime: now });
  peer.ready = true;
  // Attached before the replay reads the store, so no line is missed; the replay holds live lines
  // until the stored ones are written (docs/ARCHITECTURE.md, "No loss").
  ctx.hub.presence.attach(peer, ls);
  await ctx.hub.transcript.replay(peer, ls, after, part.events_since);
  ctx.hub.queues.sendQueueStatus(ls);
  if (peer.role === 'agent') { resendDiagnosticsRequest(ls, peer); resendRebootRequest(ls, peer); }
  const shown = ctx.hub.repScreen.state(ls);
  if (shown) peer.send(shown);
  if (!answered) ctx.hub.timers.startAgreement(ls);
  ctx.hub.queues.scheduleRepQueues();
}

async function repHandshake(ctx: Ctx, peer: Peer, msg: Msg<'hello'> | Msg<'resume'>): Promise<void> {
  const login = await ctx.store.getLogin(peer.loginHash!, Date.now());
  const rep = login && ctx.dir.reps.get(login.rep_id);
  if (!rep || rep.disabled === 1) throw new ProtocolError(ErrorCode.Unauthorized, 'your login has expired: please log in again');
  const resumeToken = repResumeToken(peer.loginToken!);
  if (msg.t === 'resume' && msg.resumeToken !== resumeToken) throw new ProtocolError(ErrorCode.Unauthorized, 'the resume token does not belong to this login');
  peer.actor = { role: 'rep', id: rep.id, name: rep.name };
  // The console lives as long as the login, not longer (logout closes it too: RepConsoles.closeLogin).
  peer.closeAt(login.expires_at, CLOSE_LOGIN_ENDED, 'your login has expired: please log in again');
  peer.send({ t: 'welcome', v: PROTOCOL_VERSION, role: 'rep', participantId: rep.id, resumeToken, rep: ctx.dir.profile(rep), serverTime: Date.now() });
  peer.ready = true;
  ctx.hub.presence.addRepPeer(peer);
  ctx.hub.queues.sendRepSnapshot(peer);
  for (const ls of ctx.hub.sessions.sessionsOfRep(rep.id)) {
    // In the session's peers just before its replay, which holds live lines until it is written
    // (docs/ARCHITECTURE.md, "No loss"); a session the rep left meanwhile is skipped.
    if (!ls.repIds.includes(rep.id)) continue;
    ls.peers.add(peer);
    peer.send({ t: 'session', session: ctx.hub.views.info(ls) });
    await ctx.hub.transcript.replay(peer, ls, msg.t === 'resume' ? msg.lastSeq[ls.id] ?? 0 : 0);
    if (ls.sysinfo) peer.sendBytes(ls.sysinfo);
    if (ls.diagnostics) peer.sendBytes(ls.diagnostics);
    if (ls.grant) peer.sendBytes(ls.grant);
    const shown = ctx.hub.repScreen.state(ls);
    if (shown) peer.send(shown);
  }
}

/** A dropped customer-side connection may resume for resumeGraceSec from now. */
export async function dateResume(ctx: Ctx, peer: Peer): Promise<void> {
  if (peer.role === 'rep' || !peer.participantId) return;
  await ctx.store.updateParticipant(peer.participantId, { resume_expires_at: Date.now() + ctx.config.resumeGraceSec * 1000, left_at: Date.now() });
}
