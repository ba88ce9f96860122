// SHA-256 as lowercase hex, the form `file.done` carries. WebCrypto exists in every secure
// context (https, and the loopback origins of the tests and the agent window) and in Node.
export async function sha256Hex(data: Blob | Uint8Array): Promise<string> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
