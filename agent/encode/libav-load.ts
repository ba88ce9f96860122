// Loads the video tier's codec (docs/ARCHITECTURE.md "Video tier"). From source: libav.js's
// CommonJS build from node_modules (its loader reads the .wasm beside it). In the packaged agent
// the same files are SEA assets: their code runs from memory and the .wasm is compiled from its
// bytes, so nothing is written to disk.
import { createRequire } from 'node:module';
import { compileFunction } from 'node:vm';
import { embeddedAsset, isSea } from '../runtime/sea.ts';
import { LIBAV_ASSET_DIR, LIBAV_FILES, LIBAV_PACKAGE } from './libav-files.ts';

type LibAVModule = typeof import('@libav.js/variant-webm-vp9');
export type LibAV = Awaited<ReturnType<typeof loadLibAV>>;

// In the agent's own thread, no worker and no pthreads: the CPU figures are one core's.
const OPTS = { noworker: true, nothreads: true } as const;

export function loadLibAV() {
  if (isSea()) return loadLibAVFrom((path) => embeddedAsset(LIBAV_ASSET_DIR + path));
  return (createRequire(import.meta.url)(LIBAV_PACKAGE) as LibAVModule).LibAV(OPTS);
}

/** libav.js from its files' bytes; `read` gets a path of LIBAV_FILES. */
export async function loadLibAVFrom(read: (path: string) => Uint8Array) {
  const wrapper = runCommonJs(read(LIBAV_FILES.wrapper), LIBAV_FILES.wrapper) as LibAVModule;
  const factory = runCommonJs(read(LIBAV_FILES.factory), LIBAV_FILES.factory) as (opts: object) => Promise<unknown>;
  const wasm = await WebAssembly.compile(read(LIBAV_FILES.wasm) as Uint8Array<ArrayBuffer>); // never a shared buffer
  // Emscripten's instantiateWasm hook: its caller waits for `done` only, so a failed
  // instantiation must reject the factory's promise here or loading would hang.
  const withWasm = (opts: object) => new Promise((resolve, reject) => {
    const instantiateWasm = (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
      WebAssembly.instantiate(wasm, imports).then(done, reject);
      return {};
    };
    factory({ ...opts, instantiateWasm }).then(resolve, reject);
  });
  return wrapper.LibAV({ ...OPTS, factory: withWasm });
}

/** Runs a CommonJS file's code and returns its exports. Built-in modules are all these files require. */
function runCommonJs(code: Uint8Array, filename: string): unknown {
  // `LibAV` as a parameter: the wrapper would otherwise create a global of that name.
  const fn = compileFunction(Buffer.from(code).toString('utf8'), ['exports', 'require', 'module', '__filename', '__dirname', 'LibAV'], { filename });
  const module = { exports: {} as unknown };
  fn.call(module.exports, module.exports, builtinRequire, module, filename, '.', undefined);
  return module.exports;
}

const nodeRequire = createRequire(import.meta.url);
function builtinRequire(id: string): unknown {
  if (!id.startsWith('node:')) throw new Error(`the packaged codec asked for ${id}; only built-in modules are available`);
  return nodeRequire(id);
}
