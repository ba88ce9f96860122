// The server's one error log line: anything that went wrong without a client to tell.
export function logError(e: unknown): void {
  console.error('[bridge]', e instanceof Error ? e.stack ?? e.message : e);
}
