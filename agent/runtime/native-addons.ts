// The one place that loads native addons (node-screenshots, nut-js/libnut). Loaded with
// literal dynamic imports, after the display check (libnut segfaults without a display), so
// esbuild bundles them and the packaged build's shims (build-scripts/packaging/bundle.ts)
// redirect them to sea.ts, which extracts the addons and loads them with process.dlopen.

export type Screenshots = typeof import('node-screenshots');
export type Nut = typeof import('@nut-tree-fork/nut-js');

let screenshotsMod: Screenshots | null = null;
let nutMod: Nut | null = null;

/** Loads both addons; call once, after checkDisplay() said yes. */
export async function loadNatives(): Promise<void> {
  if (!screenshotsMod) {
    const m = (await import('node-screenshots')) as { default?: Screenshots } & Screenshots;
    screenshotsMod = m.Monitor ? m : m.default!;
  }
  if (!nutMod) {
    const m = (await import('@nut-tree-fork/nut-js')) as { default?: Nut } & Nut;
    const n: Nut = m.mouse ? m : m.default!;
    // nut-js defaults add 100–300 ms per call; remote input must be immediate.
    n.mouse.config.autoDelayMs = 0;
    n.mouse.config.mouseSpeed = 1e9;
    n.keyboard.config.autoDelayMs = 0;
    // The native keyboard delay is separate from the config (set once in nut-js' constructor).
    (n.providerRegistry.getKeyboard() as { setKeyboardDelay?: (ms: number) => void }).setKeyboardDelay?.(0);
    nutMod = n;
  }
}

export function screenshots(): Screenshots {
  if (!screenshotsMod) throw new Error('native modules not loaded (loadNatives)');
  return screenshotsMod;
}

export function nut(): Nut {
  if (!nutMod) throw new Error('native modules not loaded (loadNatives)');
  return nutMod;
}
