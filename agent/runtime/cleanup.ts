// "Installed only for the duration of the session": every file the agent creates lives in its
// private temp dir (extracted native addons too, sea.ts), and end-of-session removes it, then the
// agent's own binary when packaged.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | null = null;

/** The agent's private temp dir, made on first use. */
export function tempDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'bridge-agent-'));
  return dir;
}

export function removeTempFiles(): void {
  if (dir) {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* in use (Windows): best effort */ }
  }
  dir = null;
}

/** Deletes the running executable: Linux/macOS unlink it in place; Windows can't delete a
 *  running .exe (nor DLLs it loaded), so a detached helper waits for this process to exit and
 *  deletes the file and the given leftover dirs (extracted native addons) then. */
export function deleteOwnBinary(file = process.execPath, leftoverDirs: string[] = []): void {
  if (process.platform === 'win32') {
    const then = [...leftoverDirs.map((d) => `rmdir /s /q "${d}" 2>nul`), 'exit /b 0'].join(' & ');
    const cmd = `for /l %i in (1,1,30) do (del /f /q "${file}" 2>nul & if not exist "${file}" (${then}) & timeout /t 1 /nobreak >nul)`;
    spawn('cmd.exe', ['/d', '/c', cmd], { detached: true, stdio: 'ignore', windowsHide: true }).unref();
    return;
  }
  try { unlinkSync(file); } catch { /* already gone or read-only location */ }
}
