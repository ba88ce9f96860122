// The SEA's main script: small on purpose. It checks that the binary is a whole Bridge agent
// before running anything from it: the manifest against the sha256 baked in here, the agent
// bundle against the manifest. A damaged download or a foreign binary stops here with a message
// that says what to do, instead of failing somewhere deep in the agent. Then it runs the bundle.
// Bundled by esbuild (bundle.ts) to CJS; only Node built-ins are available in a SEA main script.
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import Module from 'node:module';

declare const __BRIDGE_MANIFEST_SHA256__: string;

interface Manifest { version: string; platform: string; node: string; serverUrl: string; files: Record<string, string> }
interface Sea { isSea(): boolean; getAsset(key: string, enc: string): string; getRawAsset(key: string): ArrayBuffer }

function fail(code: string, message: string): never {
  process.stderr.write(`${basename(process.execPath)}: ${message} [${code}]\n`);
  process.exit(70); // EX_SOFTWARE
}

const sea = process.getBuiltinModule('node:sea') as Sea;
let text: string;
try {
  text = sea.getAsset('manifest.json', 'utf8');
} catch {
  fail('BRIDGE_AGENT_FOREIGN', 'this file is not a complete Bridge agent (it carries no agent manifest). Download the agent again from your support session page.');
}
const sha = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');
if (sha(text) !== __BRIDGE_MANIFEST_SHA256__) {
  fail('BRIDGE_AGENT_DAMAGED', 'this agent file is damaged (its manifest checksum does not match). Download the agent again from your support session page.');
}
const manifest = JSON.parse(text) as Manifest;
const here = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
if (manifest.platform !== here) {
  fail('BRIDGE_AGENT_PLATFORM', `this agent is built for ${manifest.platform}, but this computer is ${here}. Download the ${here} agent from your support session page.`);
}
let code: Buffer;
try {
  code = Buffer.from(sea.getRawAsset('agent.js'));
} catch {
  fail('BRIDGE_AGENT_FOREIGN', 'this file is not a complete Bridge agent (the agent code is missing). Download the agent again.');
}
if (sha(code) !== manifest.files['agent.js']) {
  fail('BRIDGE_AGENT_DAMAGED', 'this agent file is damaged (the agent code checksum does not match). Download the agent again from your support session page.');
}

// Answered here so it works even when the agent code can't start (no display, old OS).
if (process.argv.includes('--version')) {
  process.stdout.write(`bridge-agent ${manifest.version} (${manifest.platform}, Node ${manifest.node}) for ${manifest.serverUrl}\n`);
  process.exit(0);
}

// Run the bundle as a CommonJS module. Its require is this script's: built-ins only, which is
// all the bundle needs (addons come through agent/runtime/sea.ts with process.dlopen).
const filename = join(dirname(process.execPath), 'bridge-agent.js');
const wrapper = runInThisContext(Module.wrap(code.toString('utf8')), { filename }) as
  (exports: unknown, req: NodeJS.Require, mod: unknown, file: string, dir: string) => void;
const mod = { exports: {} as unknown, id: '.', filename, loaded: false };
wrapper.call(mod.exports, mod.exports, require, mod, filename, dirname(filename));
