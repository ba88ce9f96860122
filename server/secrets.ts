// Random tokens, ids, session keys and password hashes, all from node:crypto.
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KEY_ALPHABET, KEY_LENGTH } from '../protocol/index.ts';

/** 128 bits or more, URL-safe. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
/** Row ids: 96 random bits are plenty and keep URLs short. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}
/** Equal strings, compared in time that doesn't depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
/** Only hashes of bearer secrets are stored, so a leaked database opens no session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
export function newSessionKey(): string {
  let key = '';
  for (let i = 0; i < KEY_LENGTH; i++) key += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return key;
}
/** The 128-bit access key of a session link. */
export function newAccessKey(): string {
  return randomBytes(16).toString('base64url');
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };
function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, opts, (e, k) => (e ? reject(e) : resolve(k))));
}
/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const want = Buffer.from(parts[5], 'base64url');
  const got = await scryptAsync(password, salt, want.length, { N, r, p, maxmem: 256 * N * r });
  return got.length === want.length && timingSafeEqual(got, want);
}
