// What a node does for a session when another node died holding some of its people
// (docs/ARCHITECTURE.md, "Several nodes", "A node dies"). The dead node can't say goodbye, so each
// surviving node tells its own participants (never the others': each node does this once for the
// people it holds, so nobody hears it twice).
import type { Hub } from '../core/hub.ts';
import type { LiveSession, NodePresence } from '../core/live-session.ts';
import { encodeOut } from '../outgoing.ts';

export function lostWithNode(hub: Hub, ls: LiveSession, had: NodePresence): void {
  // The agent went with it: its grant goes, here only (the agent's new node announces whatever it
  // says when it is back, and a drop sent from here could arrive after that). `lastGrant` stays,
  // so the agent re-announcing its grant covers no more than it did (the trust rules).
  const agentLeft = had.agent && !ls.agentPeers().length && ![...ls.elsewhere.values()].some((n) => n.agent);
  if (agentLeft) {
    ls.grantKind = 'none';
    ls.grantReps = new Set();
    ls.grantMsg = null;
  }
  if (had.customer || had.agent) ls.sendHere(encodeOut({ t: 'session', session: hub.views.info(ls) }));
}
