// Files a rep sends and the customer accepted in the window are saved under the customer's
// Downloads folder: bytes go to the agent's temp dir while they arrive, the sha256 is checked,
// then the file is copied in under a sanitised name that never overwrites (name (1).ext, ...).
import { createHash, type Hash } from 'node:crypto';
import { appendFileSync, constants, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join } from 'node:path';
import type { Message } from '../../protocol/index.ts';

/** File ids the server makes (secrets.ts newId: base64url); anything else is not a name for the disk. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface Incoming { name: string; size: number; accepted: boolean; received: number; hash: Hash; tmp: string }

/** No path parts, control or reserved characters, no leading dots; "file" when nothing is left. */
export function sanitizeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '').slice(0, 200);
  return /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(clean) || !clean ? `file${clean ? `-${clean}` : ''}` : clean;
}

export function defaultDownloadsDir(): string {
  return process.env.XDG_DOWNLOAD_DIR || join(homedir(), 'Downloads');
}

export class Downloads {
  private readonly files = new Map<string, Incoming>();

  constructor(private readonly tmpDir: () => string, private readonly dir: () => string = defaultDownloadsDir, private readonly log: (s: string) => void = () => {}) {}

  /** Server → agent: offers, chunks, the end of a transfer. */
  fromServer(msg: Message): void {
    if (msg.t === 'file.offer' && msg.fileId && msg.from?.role === 'rep') {
      // One temp file per transfer, named by its id: a count repeats once an earlier transfer is
      // done or declined, and two transfers would write into one file. An offer for an id already
      // here (a resend) keeps the transfer as it is; an id unfit for a file name is not taken.
      if (this.files.has(msg.fileId) || !SAFE_ID.test(msg.fileId)) return;
      this.files.set(msg.fileId, { name: msg.name, size: msg.size, accepted: false, received: 0, hash: createHash('sha256'), tmp: join(this.tmpDir(), `download-${msg.fileId}`) });
    } else if (msg.t === 'file.chunk') {
      const f = this.files.get(msg.fileId);
      if (!f?.accepted || msg.offset !== f.received || f.received + msg.data.byteLength > f.size) return;
      appendFileSync(f.tmp, msg.data);
      f.hash.update(msg.data);
      f.received += msg.data.byteLength;
    } else if (msg.t === 'file.done') {
      const f = this.files.get(msg.fileId);
      if (!f?.accepted) return;
      this.files.delete(msg.fileId);
      if (f.received !== f.size || f.hash.digest('hex') !== msg.sha256) { rmSync(f.tmp, { force: true }); this.log(`download of ${f.name} failed its checksum`); return; }
      const path = this.save(f);
      this.log(`saved ${path}`);
    } else if (msg.t === 'file.cancel') {
      const f = this.files.get(msg.fileId);
      if (f) { rmSync(f.tmp, { force: true }); this.files.delete(msg.fileId); }
    }
  }

  /** Window → agent: the customer's answer to an offer. */
  answered(fileId: string, accept: boolean): void {
    const f = this.files.get(fileId);
    if (!f) return;
    if (!accept) { this.files.delete(fileId); return; }
    f.accepted = true;
    appendFileSync(f.tmp, new Uint8Array(0)); // an empty file still arrives as a file
  }

  private save(f: Incoming): string {
    const dir = this.dir();
    mkdirSync(dir, { recursive: true });
    const name = sanitizeName(f.name);
    const ext = extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let i = 0; ; i++) {
      const dest = join(dir, i === 0 ? name : `${stem} (${i})${ext}`);
      try {
        copyFileSync(f.tmp, dest, constants.COPYFILE_EXCL); // never overwrite, even in a race
        rmSync(f.tmp, { force: true });
        return dest;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 999) throw e;
      }
    }
  }
}
