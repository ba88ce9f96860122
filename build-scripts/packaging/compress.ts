// Precompressed copies of a packaged agent, made once per build and kept next to it
// (<file>.br, <file>.gz), so every download is a plain file send with a Content-Length.
// Brotli at quality 11 with a 16 MiB window: measured on 24 MiB of the Node binary, quality 9
// gives 6.82 MiB in 19 s, 10 gives 6.29 MiB in 52 s, 11 gives 6.12 MiB in 77 s (−10 %). Every
// customer downloads the file and it is compressed once per build, so the slow setting wins;
// until it is done the gzip copy (seconds) is served. Streams use libuv's thread pool, so a server
// compressing in the background keeps answering requests.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';
export const ENCODINGS: Encoding[] = ['br', 'gzip'];

export function compressedPath(file: string, enc: Encoding): string {
  return `${file}.${enc === 'br' ? 'br' : 'gz'}`;
}

/** BRIDGE_AGENT_BROTLI_QUALITY (0–11, default 11): a small server may prefer minutes less CPU per build for a larger download. */
function brotliQuality(): number {
  const q = Number(process.env.BRIDGE_AGENT_BROTLI_QUALITY ?? 11);
  return Number.isInteger(q) && q >= 0 && q <= 11 ? q : 11;
}

function compressor(enc: Encoding, size: number) {
  return enc === 'br'
    ? createBrotliCompress({ params: {
      [constants.BROTLI_PARAM_QUALITY]: brotliQuality(),
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: size,
    } })
    : createGzip({ level: 9 });
}

const running = new Map<string, Promise<string>>();

/**
 * The compressed copy if it was made after the file was put in place; null otherwise. (Built
 * agents carry a fixed mtime for reproducibility, so the file's ctime is what tells its age.)
 */
export function readyCompressed(file: string, enc: Encoding): string | null {
  const out = compressedPath(file, enc);
  if (!existsSync(out) || !existsSync(file)) return null;
  return statSync(out).mtimeMs >= statSync(file).ctimeMs ? out : null;
}

/** Makes (once, even when asked concurrently) the compressed copy; resolves to its path. */
export function precompress(file: string, enc: Encoding): Promise<string> {
  const out = compressedPath(file, enc);
  const ready = readyCompressed(file, enc);
  if (ready) return Promise.resolve(ready);
  const pending = running.get(out);
  if (pending) return pending;
  const tmp = `${out}.partial-${process.pid}`;
  const job = pipeline(createReadStream(file), compressor(enc, statSync(file).size), createWriteStream(tmp))
    .then(() => {
      renameSync(tmp, out);
      return out;
    })
    .catch((err: unknown) => {
      rmSync(tmp, { force: true });
      throw err;
    })
    .finally(() => running.delete(out));
  running.set(out, job);
  return job;
}

/** Both encodings, gzip first (it is quick, so some compressed copy is there soon). */
export async function precompressAll(file: string): Promise<void> {
  await precompress(file, 'gzip');
  await precompress(file, 'br');
}
