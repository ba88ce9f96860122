// Error codes carried by the `error` message and by HTTP error bodies.
export const ErrorCode = {
  TooLarge: 'too_large',
  Malformed: 'malformed',
  Invalid: 'invalid',
  UnknownType: 'unknown_type',
  VersionMismatch: 'version_mismatch',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Expired: 'expired',
  Used: 'used',
  RateLimited: 'rate_limited',
  Conflict: 'conflict',
  NotConsented: 'not_consented',
  Ended: 'ended',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error with a code, thrown by protocol helpers and turned into an `error` message. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * WebSocket close code: the rep's login ended (logout, expiry). Clients stop reconnecting and
 * ask for a new login (`Connection` reports it as an `unauthorized` error).
 */
export const CLOSE_LOGIN_ENDED = 4401;
