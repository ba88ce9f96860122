// Signed prefill (docs/ARCHITECTURE.md, "Click-to-chat"; recipe in docs/INTEGRATIONS.md): a help
// desk that knows its user signs the fields Bridge should trust (external key, name, e-mail)
// with its API account. The key is SHA-256 of the account's secret, which the store already
// keeps (the secret itself is never stored), so rotating the secret voids every signature.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmbedFields, PrefillSignature } from '../../protocol/api/embed.ts';
import { ErrorCode, SIGNED_FIELDS, type SignedField } from '../../protocol/index.ts';
import { accountView } from '../api/accounts.ts';
import type { ServerConfig } from '../config.ts';
import { HttpFail } from '../http/errors.ts';
import type { Store } from '../store/store.ts';

export const CANONICAL_PREFIX = 'bridge-prefill-v1';

/** The exact bytes a help desk signs: one line each, UTF-8, "\n" between, no trailing newline. */
export function canonicalPrefill(s: Pick<PrefillSignature, 'clientId' | 'expires' | 'nonce'>, f: EmbedFields): string {
  return [CANONICAL_PREFIX, s.clientId, String(s.expires), s.nonce, f.externalKey ?? '', f.name ?? '', f.email ?? ''].join('\n');
}

export interface VerifiedPrefill { by: string; fields: SignedField[] }

const NOT_VALID = 'the prefill signature is not valid: check the client id, the secret (SHA-256 of it is the key) and that the signed external key, name and e-mail are the ones the page passes';

/**
 * Checks in this order, so nothing about the account or the nonce leaks to an unsigned caller:
 * the signature (constant time; an unknown, disabled or command-less account fails the same
 * way), then the expiry, then the nonce, which is spent last so a refused start doesn't burn it.
 */
export async function verifyPrefill(store: Store, config: ServerConfig, signed: PrefillSignature, fields: EmbedFields, now = Date.now()): Promise<VerifiedPrefill> {
  const row = await store.api.get(signed.clientId);
  const account = row ? accountView(row) : null;
  // A dummy key keeps the work the same when the account is unusable.
  const key = row && account?.enabled && account.scopes.includes('command') ? Buffer.from(row.secret_hash, 'hex') : Buffer.alloc(32);
  const want = createHmac('sha256', key).update(canonicalPrefill(signed, fields), 'utf8').digest();
  const got = Buffer.from(signed.signature, 'hex');
  const matches = got.length === want.length && timingSafeEqual(got, want);
  if (!matches || !row || !account?.enabled || !account.scopes.includes('command')) throw new HttpFail(401, ErrorCode.Unauthorized, NOT_VALID);
  const expiresAt = signed.expires * 1000;
  if (expiresAt <= now) throw new HttpFail(410, ErrorCode.Expired, 'the prefill signature expired: sign the fields again when the page is shown');
  if (expiresAt > now + config.embed.signatureMaxSec * 1000) {
    throw new HttpFail(400, ErrorCode.Invalid, `the prefill signature's expiry is too far ahead: at most ${config.embed.signatureMaxSec} s (embed.signatureMaxSec)`);
  }
  if (!await store.api.spendNonce(row.id, signed.nonce, expiresAt, now)) {
    throw new HttpFail(409, ErrorCode.Used, 'this prefill signature was used already: sign the fields again with a new nonce');
  }
  return { by: row.name, fields: SIGNED_FIELDS.filter((f) => (fields[f] ?? '') !== '') };
}
