// Encoding of messages the server builds. Under BRIDGE_CHECK_OUTGOING=1 (set by the test
// helper) each is checked against the protocol schema first, because a client's decoder would
// silently drop an invalid one.
import * as v from 'valibot';
import { encode, Message as MessageSchema, type Message } from '../protocol/index.ts';

const CHECK_OUTGOING = process.env.BRIDGE_CHECK_OUTGOING === '1';

/** Encodes a message the server built (checked against the schema under BRIDGE_CHECK_OUTGOING). */
export function encodeOut(msg: Message): Uint8Array {
  if (CHECK_OUTGOING) checkOutgoing(msg);
  return encode(msg);
}

/** Logs a server-built message that a client's decoder would reject (the test helper fails on it). */
export function checkOutgoing(msg: Message): void {
  const r = v.safeParse(MessageSchema, msg);
  if (r.success) return;
  const issue = r.issues[0];
  console.error(`[bridge] invalid outgoing ${msg.t} at ${issue.path?.map((p) => String(p.key)).join('.') ?? ''}: ${issue.message}`);
}
