// The files of the video tier's codec (docs/ARCHITECTURE.md "Video tier"): libav.js's
// WebAssembly build, one set for every platform. The packager embeds them as SEA assets under
// LIBAV_ASSET_DIR (docs/ARCHITECTURE.md "Packaging"); libav-load.ts runs them from there.
export const LIBAV_PACKAGE = '@libav.js/variant-webm-vp9';
export const LIBAV_ASSET_DIR = 'libav/';
/** Paths inside the package: the loader, the Emscripten module factory, the WebAssembly. */
export const LIBAV_FILES = {
  wrapper: 'dist/libav-webm-vp9.js',
  factory: 'dist/libav-6.10.9.0-webm-vp9.wasm.js',
  wasm: 'dist/libav-6.10.9.0-webm-vp9.wasm.wasm',
} as const;
