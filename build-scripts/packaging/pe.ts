// Removes the Authenticode signature from a PE file (Node's official node.exe is signed by the
// OpenJS Foundation). Injecting the SEA blob would break that signature anyway, and a broken
// signature looks worse to Windows than none, so the agent ships unsigned unless whoever runs the
// server signs it. Done by hand (clear the certificate-table directory entry, drop the table at
// the end of the file) so packaging needs no osslsigncode on the build machine.
import { PackagingError } from './errors.ts';

const SECURITY_DIR = 4;

function peLayout(buf: Buffer): { optional: number; dataDirs: number } {
  if (buf.length < 0x40 || buf.toString('latin1', 0, 2) !== 'MZ') throw new PackagingError('BRIDGE_PE_FORMAT', 'the Windows base binary is not a PE file (no MZ header); delete .cache/npm and package again.');
  const pe = buf.readUInt32LE(0x3c);
  if (buf.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new PackagingError('BRIDGE_PE_FORMAT', 'the Windows base binary has no PE signature; delete .cache/npm and package again.');
  const optional = pe + 4 + 20;
  const magic = buf.readUInt16LE(optional);
  if (magic !== 0x20b) throw new PackagingError('BRIDGE_PE_FORMAT', `expected a PE32+ (64-bit) base binary, got optional-header magic 0x${magic.toString(16)}.`);
  return { optional, dataDirs: optional + 112 };
}

/** Returns the PE file without its certificate table (a copy; the input is untouched). */
export function removeAuthenticode(input: Buffer): { output: Buffer; removedBytes: number } {
  const buf = Buffer.from(input);
  const { optional, dataDirs } = peLayout(buf);
  const entry = dataDirs + SECURITY_DIR * 8;
  const offset = buf.readUInt32LE(entry); // for this directory it is a file offset, not an RVA
  const size = buf.readUInt32LE(entry + 4);
  if (offset === 0 || size === 0) return { output: buf, removedBytes: 0 };
  // The table must be the last thing in the file (it is for signed PEs); anything after it
  // would be lost by truncating, so refuse rather than corrupt.
  if (offset + size < buf.length - 8 || offset + size > buf.length) {
    throw new PackagingError('BRIDGE_PE_SIGNATURE', `the certificate table (offset ${offset}, ${size} bytes) is not at the end of the file; cannot remove it safely.`);
  }
  buf.writeUInt32LE(0, entry);
  buf.writeUInt32LE(0, entry + 4);
  buf.writeUInt32LE(0, optional + 64); // CheckSum: only drivers need it, and injection changes the file again
  return { output: buf.subarray(0, offset), removedBytes: buf.length - offset };
}

/** True when the PE file still names a certificate table. */
export function hasAuthenticode(buf: Buffer): boolean {
  const { dataDirs } = peLayout(buf);
  return buf.readUInt32LE(dataDirs + SECURITY_DIR * 8 + 4) !== 0;
}
