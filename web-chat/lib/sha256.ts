// SHA-256 of a file's bytes, hex. WebCrypto exists in every secure context (https, and the
// loopback origins the tests and the agent window use).
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
