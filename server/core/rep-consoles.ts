// The rep consoles connected right now, by rep id (a rep may have several tabs open).
import { CLOSE_LOGIN_ENDED, type Message } from '../../protocol/index.ts';
import type { Peer } from '../ws/peer.ts';

export class RepConsoles {
  private readonly peers = new Map<string, Set<Peer>>();

  get size(): number {
    return this.peers.size;
  }

  has(repId: string): boolean {
    return this.peers.has(repId);
  }

  byRep(): IterableIterator<[string, Set<Peer>]> {
    return this.peers.entries();
  }

  of(repId: string): Iterable<Peer> {
    return this.peers.get(repId) ?? [];
  }

  add(repId: string, peer: Peer): void {
    if (!this.peers.has(repId)) this.peers.set(repId, new Set());
    this.peers.get(repId)!.add(peer);
  }

  remove(repId: string, peer: Peer): void {
    const set = this.peers.get(repId);
    set?.delete(peer);
    if (set && set.size === 0) this.peers.delete(repId);
  }

  /** Every console of every rep (rare, small notices such as `canned.changed`). */
  sendAll(msg: Message): void {
    for (const peers of this.peers.values()) for (const p of peers) p.send(msg);
  }

  /** A disabled rep's consoles close at once, saying why (the console shows its login with the reason). */
  closeRep(repId: string, reason: string): void {
    for (const p of this.of(repId)) p.ws.close(CLOSE_LOGIN_ENDED, reason);
  }

  /** A logout ends that login's consoles at once. */
  closeLogin(loginHash: string): void {
    for (const peers of this.peers.values()) for (const p of peers) if (p.loginHash === loginHash) p.ws.close(4401, 'logged out');
  }
}
