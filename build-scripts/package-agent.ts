// npm run package-agent -- --server-url <origin> [--platform linux-x64|win-x64|darwin-x64|darwin-arm64|all] [--out dir]
// Builds the single-file agent (Node SEA) for the given server origin. See packaging/package.ts.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PackagingError } from './packaging/errors.ts';
import { defaultOutDir, packageAgent } from './packaging/package.ts';
import { ALL_PLATFORMS, hostPlatform, isPlatform } from './packaging/platforms.ts';
import { consoleProgress } from './packaging/progress.ts';
import type { Platform } from '../protocol/http.ts';

const USAGE = `Usage: npm run package-agent -- --server-url <origin> [--platform <p>|all] [--out <dir>]
  --server-url  the bridge server origin baked into the agent, e.g. https://support.example.com
  --platform    ${ALL_PLATFORMS.join(', ')} or all (default: this machine's platform)
  --out         output directory (default: .cache/agents)
  --entry       agent entry file (default: agent/main.ts; tests use a probe)`;

export async function main(argv: string[]): Promise<number> {
  let values: { 'server-url'?: string; platform?: string[]; out?: string; entry?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'server-url': { type: 'string' },
        platform: { type: 'string', multiple: true },
        out: { type: 'string' },
        entry: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values['server-url']) {
    console.error(`--server-url is required.\n${USAGE}`);
    return 2;
  }
  const asked = (values.platform ?? []).flatMap((p) => p.split(','));
  let platforms: Platform[];
  if (asked.length === 0) {
    const host = hostPlatform();
    if (!host) {
      console.error(`this machine (${process.platform}-${process.arch}) is not an agent platform; pass --platform.`);
      return 2;
    }
    platforms = [host];
  } else if (asked.includes('all')) {
    platforms = ALL_PLATFORMS;
  } else {
    const bad = asked.filter((p) => !isPlatform(p));
    if (bad.length) {
      console.error(`unknown platform ${bad.join(', ')}; use one of ${ALL_PLATFORMS.join(', ')} or all.`);
      return 2;
    }
    platforms = [...new Set(asked)] as Platform[];
  }
  const outDir = values.out ? resolve(values.out) : defaultOutDir;
  const started = Date.now();
  try {
    const built = await packageAgent({ serverUrl: values['server-url'], platforms, outDir, entry: values.entry, progress: consoleProgress() });
    for (const b of built) {
      console.log(`${b.file}  ${(b.size / 2 ** 20).toFixed(1)} MiB  sha256 ${b.sha256}`);
    }
    console.log(`packaged ${built.length} agent(s) for ${built[0]?.serverUrl} into ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (err) {
    if (err instanceof PackagingError) {
      console.error(`\npackage-agent: ${err.message} [${err.code}]`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
