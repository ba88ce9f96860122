// API accounts of the help-desk API (docs/ARCHITECTURE.md, "Help-desk integration"): a client id
// and a 256-bit secret shown once, of which only a hash is kept; OAuth 2 client credentials trade
// them for a short-lived bearer token (a hash kept too), which carries a subset of the account's
// scopes. Tokens are API-only: no browser route looks them up, and these routes take nothing else.
import { API_SCOPES, type ApiAccount, type ApiScope } from '../../protocol/api/v1.ts';
import { hashToken, newId, randomToken, sameSecret } from '../secrets.ts';
import type { ApiAccountRow } from '../store/api-accounts.ts';
import type { Store } from '../store/store.ts';

/** Prefixes make a leaked value recognisable (secret scanners, logs). */
const SECRET_PREFIX = 'bsec_';
const TOKEN_PREFIX = 'btok_';

export function accountView(row: ApiAccountRow): ApiAccount {
  return { clientId: row.id, name: row.name, scopes: parseScopes(row.scopes), enabled: row.enabled === 1, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

function parseScopes(json: string): ApiScope[] {
  const list = JSON.parse(json) as unknown;
  return Array.isArray(list) ? API_SCOPES.filter((s) => list.includes(s)) : [];
}

export async function createAccount(store: Store, name: string, scopes: ApiScope[], createdBy: string): Promise<{ row: ApiAccountRow; secret: string }> {
  const secret = SECRET_PREFIX + randomToken(32);
  const row: ApiAccountRow = { id: `bc_${newId()}`, name, secret_hash: hashToken(secret), scopes: JSON.stringify(scopes), enabled: 1, created_by: createdBy, created_at: Date.now(), last_used_at: null, tokens_after: 0 };
  await store.api.create(row);
  return { row, secret };
}

/** A new secret; the old one and every token stop working at once. */
export async function rotateSecret(store: Store, id: string): Promise<string> {
  const secret = SECRET_PREFIX + randomToken(32);
  await store.api.update(id, { secret_hash: hashToken(secret) });
  await endTokens(store, id);
  return secret;
}

/**
 * Every token of the account stops now, including one being issued at this moment from the old
 * secret or scopes: tokens older than `tokens_after` are refused even if their row survived.
 */
export async function endTokens(store: Store, id: string): Promise<void> {
  await store.api.update(id, { tokens_after: Date.now() });
  await store.api.deleteTokens(id);
}

/** `disabled` only once the secret is right: a wrong secret learns nothing about the account. */
export type ClientCheck = { ok: true; account: ApiAccountRow } | { ok: false; account?: ApiAccountRow; disabled?: boolean };

/** The enabled account whose secret this is. */
export async function checkClient(store: Store, clientId: string, secret: string): Promise<ClientCheck> {
  const account = await store.api.get(clientId);
  if (!account) return { ok: false };
  if (!sameSecret(account.secret_hash, hashToken(secret))) return { ok: false, account, disabled: false };
  if (account.enabled !== 1) return { ok: false, account, disabled: true };
  return { ok: true, account };
}

/** Scopes asked for (space-separated, RFC 6749 §3.3) within the account's; all of them when none are asked for. */
export function grantedScopes(account: ApiAccountRow, asked: string | undefined): ApiScope[] | null {
  const allowed = parseScopes(account.scopes);
  if (!asked?.trim()) return allowed;
  const want = asked.trim().split(/\s+/);
  return want.every((s) => (allowed as string[]).includes(s)) ? allowed.filter((s) => want.includes(s)) : null;
}

/**
 * `checkedAt`: when the secret was checked. The token counts from then, so one whose secret was
 * rotated (or scopes narrowed) while it was being issued is void from the start.
 */
export async function issueToken(store: Store, account: ApiAccountRow, scopes: ApiScope[], ttlSec: number, checkedAt: number): Promise<string> {
  const token = TOKEN_PREFIX + randomToken(32);
  const now = Date.now();
  // Expired tokens go as new ones come, so a client that asks per call doesn't grow the table.
  await store.api.deleteExpiredTokens(now);
  await store.api.createToken({ token_hash: hashToken(token), account_id: account.id, scopes: JSON.stringify(scopes), created_at: checkedAt, expires_at: now + ttlSec * 1000 });
  await store.api.update(account.id, { last_used_at: now });
  return token;
}

export interface ApiCaller { account: ApiAccountRow; scopes: ApiScope[] }

/** The account and scopes behind a bearer token, when it is live and its account enabled. */
export async function callerForToken(store: Store, token: string): Promise<ApiCaller | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await store.api.getToken(hashToken(token), Date.now());
  if (!row) return null;
  const account = await store.api.get(row.account_id);
  if (!account || account.enabled !== 1 || row.created_at <= account.tokens_after) return null;
  // What the account may do now bounds what the token says it may.
  const allowed = parseScopes(account.scopes);
  return { account, scopes: parseScopes(row.scopes).filter((s) => allowed.includes(s)) };
}
