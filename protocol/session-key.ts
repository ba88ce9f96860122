// Session keys: 7 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
export const KEY_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const KEY_LENGTH = 7;

/** Upper-cases, drops spaces and dashes: what a customer types is forgiven its formatting. */
export function normalizeKey(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

export function isWellFormedKey(key: string): boolean {
  return key.length === KEY_LENGTH && [...key].every((c) => KEY_ALPHABET.includes(c));
}

/** The key from an agent file name such as `bridge-agent-XRR5363` or `bridge-agent-XRR5363.exe`. */
export function keyFromFileName(fileName: string): string | null {
  const m = /bridge-agent-([A-Za-z0-9]{4,16})(?:\.exe)?$/.exec(fileName);
  return m ? normalizeKey(m[1]) : null;
}
