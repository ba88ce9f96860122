// The data dir holds transcripts, files and login hashes: only the server's user may read it
// (docs/SECURITY.md: data at rest). New installs get 0700 / 0600; an older install made with
// the umask's 0755 / 0644 is tightened at start (the dir and the database files only: with the
// dir closed, nothing inside is reachable by other users anyway).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Creates the dir (and the database file) private, or makes existing ones private. */
export function preparePrivateDir(dir: string, files: string[] = []): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
  for (const name of files) {
    const path = join(dir, name);
    // SQLite gives -wal and -shm the database file's mode, so the database is created 0600 first.
    if (!existsSync(path)) closeSync(openSync(path, 'a', FILE_MODE));
    chmodSync(path, FILE_MODE);
  }
  for (const side of files.flatMap((f) => [`${f}-wal`, `${f}-shm`, `${f}-journal`])) {
    const path = join(dir, side);
    if (existsSync(path)) chmodSync(path, FILE_MODE);
  }
}

/** A subdirectory of the data dir (files store), private like the rest. */
export function privateSubdir(path: string): void {
  mkdirSync(path, { recursive: true, mode: DIR_MODE });
}
