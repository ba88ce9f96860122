// Reboot and reconnect, the session's side (docs/ARCHITECTURE.md, "Reboot and reconnect"): once
// the customer confirmed a restart the session waits for the agent to come back, with a deadline
// kept in the row (like the other timers); the agent that starts after the restart trades a
// one-time credential for an agent token of this session. The record's field says how it went:
// no / successful / failed. Consent is asked again after the restart (a new screen request for
// the rep who asked), since grants never survive it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { REBOOT_CODES, rebootConfirmedText, rebootFailedText, rebootReconnectedText } from '../../protocol/index.ts';
import type { ServerConfig } from '../config.ts';
import { hashToken } from '../secrets.ts';
import type { LiveSession, RebootWait } from './live-session.ts';
import type { SessionRegistry } from './registry.ts';
import type { ScreenRequests } from './screen-requests.ts';
import type { Transcript } from './transcript.ts';
import type { SessionViews } from './views.ts';

/** Why a credential was refused: unknown (or not this session's), the session ended, or too late. */
export type ReconnectVerdict = { ok: true; wait: RebootWait } | { ok: false; why: 'unknown' | 'ended' | 'expired' };

export class Reboots {
  constructor(
    private readonly config: ServerConfig,
    private readonly registry: SessionRegistry,
    private readonly views: SessionViews,
    private readonly transcript: Transcript,
    private readonly screen: ScreenRequests,
  ) {}

  /**
   * The customer confirmed: the session waits for the agent, and that agent gets the credential
   * (`<session id>.<secret>`; only the secret's hash is kept) valid until the deadline.
   */
  async confirmed(ls: LiveSession, { requestId, repId, repName }: { requestId: string; repId: string; repName: string }, answer: 'restart' | 'logout'): Promise<{ credential: string; expiresAt: number }> {
    const secret = randomBytes(32).toString('base64url');
    const now = Date.now();
    const wait: RebootWait = {
      requestId, repId, repName, answer, since: now, until: now + this.config.rebootWaitSec * 1000, hash: hashToken(secret), grant: ls.grantKind,
    };
    await this.registry.patch(ls, { reboot_wait: JSON.stringify(wait) });
    await this.transcript.systemEvent(ls, REBOOT_CODES.confirmed, rebootConfirmedText(answer));
    this.views.sendSession(ls);
    return { credential: `${ls.id}.${secret}`, expiresAt: wait.until };
  }

  /** Whether this credential may rejoin its session now (nothing is spent). */
  check(ls: LiveSession | undefined, credential: string, now = Date.now()): ReconnectVerdict {
    const wait = ls?.rebootWait;
    const secret = credential.slice(credential.indexOf('.') + 1);
    if (!ls) return { ok: false, why: 'unknown' };
    if (ls.closed) return { ok: false, why: ls.row.reboot === 'no' ? 'unknown' : 'ended' };
    if (!wait) return { ok: false, why: ls.row.reboot === 'failed' ? 'expired' : 'unknown' };
    const a = Buffer.from(hashToken(secret)), b = Buffer.from(wait.hash);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, why: 'unknown' };
    if (wait.until <= now) return { ok: false, why: 'expired' };
    return { ok: true, wait };
  }

  /** The agent is back (its token was issued): the wait ends, and consent is asked again. */
  async reconnected(ls: LiveSession, wait: RebootWait): Promise<void> {
    await this.registry.patch(ls, { reboot_wait: null, reboot: 'successful' });
    await this.transcript.systemEvent(ls, REBOOT_CODES.reconnected, rebootReconnectedText());
    this.views.sendSession(ls);
    if (wait.grant !== 'none' && ls.repIds.includes(wait.repId) && ls.row.state === 'active') {
      await this.screen.requestFor(ls, { id: wait.repId, name: wait.repName }, wait.grant);
    }
  }

  /** Past the deadline without the agent: the record says it failed. Called by the timers' loop. */
  async expire(ls: LiveSession, now: number): Promise<void> {
    const wait = ls.row.reboot_wait ? ls.rebootWait : null;
    if (!wait || wait.until > now) return;
    await this.fail(ls, 'timeout');
  }

  /** The session is closing while the computer restarts: the agent can't come back into it. */
  async abandon(ls: LiveSession): Promise<void> {
    if (ls.row.reboot_wait) await this.fail(ls, 'ended');
  }

  private async fail(ls: LiveSession, why: 'timeout' | 'ended'): Promise<void> {
    await this.registry.patch(ls, { reboot_wait: null, reboot: 'failed' });
    await this.transcript.systemEvent(ls, REBOOT_CODES.failed, rebootFailedText(why));
    this.views.sendSession(ls);
  }
}
