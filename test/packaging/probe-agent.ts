// A stand-in agent entry for packaging tests: exercises what packaging is responsible for
// (baked-in origin, SEA detection, extracting and loading native addons, one real capture)
// without needing the agent runtime. Prints one JSON line and exits.
import { Monitor } from 'node-screenshots';
import { agentVersion, bakedServerUrl, isSea, nativeTempDir, removeNativeAssets, selfExecutable } from '../../agent/sea.ts';

const out: Record<string, unknown> = { sea: isSea(), serverUrl: bakedServerUrl(), version: agentVersion(), self: selfExecutable(), argv: process.argv.slice(2) };
try {
  const monitors = Monitor.all();
  const img = monitors[0]?.captureImageSync();
  out.capture = img ? { width: img.width, height: img.height, bytes: img.toRawSync().length } : null;
} catch (err) {
  out.captureError = (err as Error).message;
}
out.tempDir = nativeTempDir();
if (process.argv.includes('--cleanup')) removeNativeAssets();
console.log(JSON.stringify(out));
