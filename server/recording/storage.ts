// Where recordings live (docs/ARCHITECTURE.md, "Recording"): one small interface, so an object
// store or a shared volume can back it when several servers run; by default a file per session
// under <data dir>/recordings, appended to while recording, private to the server's user.
import { createReadStream, mkdirSync } from 'node:fs';
import { open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface RecordingStorage {
  /** Appends to the session's recording (created on the first append). */
  append(sessionId: string, chunk: Uint8Array): Promise<void>;
  /** What was appended survives a crash from here on. */
  flush(sessionId: string): Promise<void>;
  /** The recording is complete: no more appends. */
  close(sessionId: string): Promise<void>;
  stat(sessionId: string): Promise<{ bytes: number; modifiedAt: number } | null>;
  /** The first `bytes` of the recording (a live one grows while it is read). */
  read(sessionId: string, bytes: number): Readable;
  remove(sessionId: string): Promise<void>;
  list(): Promise<{ sessionId: string; modifiedAt: number }[]>;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SUFFIX = '.brec';

export class FileRecordingStorage implements RecordingStorage {
  private readonly dir: string;
  private readonly open = new Map<string, Promise<FileHandle>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'recordings');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  private path(sessionId: string): string {
    if (!SESSION_ID.test(sessionId)) throw new Error(`not a session id: ${sessionId.slice(0, 80)}`);
    return join(this.dir, sessionId + SUFFIX);
  }

  private handle(sessionId: string): Promise<FileHandle> {
    let h = this.open.get(sessionId);
    if (!h) {
      h = open(this.path(sessionId), 'a', 0o600);
      this.open.set(sessionId, h);
    }
    return h;
  }

  async append(sessionId: string, chunk: Uint8Array): Promise<void> {
    await (await this.handle(sessionId)).write(chunk);
  }

  async flush(sessionId: string): Promise<void> {
    const h = this.open.get(sessionId);
    if (h) await (await h).datasync();
  }

  async close(sessionId: string): Promise<void> {
    const h = this.open.get(sessionId);
    this.open.delete(sessionId);
    if (h) {
      const fh = await h;
      await fh.datasync().catch(() => {});
      await fh.close();
    }
  }

  async stat(sessionId: string): Promise<{ bytes: number; modifiedAt: number } | null> {
    const s = await stat(this.path(sessionId)).catch(() => null);
    return s ? { bytes: s.size, modifiedAt: s.mtimeMs } : null;
  }

  read(sessionId: string, bytes: number): Readable {
    return createReadStream(this.path(sessionId), { start: 0, end: Math.max(0, bytes - 1) });
  }

  async remove(sessionId: string): Promise<void> {
    await this.close(sessionId);
    await rm(this.path(sessionId), { force: true });
  }

  async list(): Promise<{ sessionId: string; modifiedAt: number }[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith(SUFFIX));
    const out: { sessionId: string; modifiedAt: number }[] = [];
    for (const n of names) {
      const sessionId = n.slice(0, -SUFFIX.length);
      const s = await this.stat(sessionId).catch(() => null);
      if (s) out.push({ sessionId, modifiedAt: s.modifiedAt });
    }
    return out;
  }
}
