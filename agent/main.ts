// Entry point of the customer agent: `npm run agent -- --server URL --key KEY`, or the packaged
// single file `bridge-agent-<KEY>` (key from its own name, server baked in).
import { ensureWindowAssets } from './window/host/assets.ts';
import { keyFromContext, parseArgs, promptKey, USAGE } from './command-line.ts';
import { removeTempFiles } from './runtime/cleanup.ts';
import { checkDisplay } from './runtime/display-check.ts';
import { FrameEncoder } from './encode/index.ts';
import { loadNatives } from './runtime/native-addons.ts';
import { bakedServerUrl, isPackaged, isSea } from './runtime/sea.ts';
import { AGENT_VERSION } from './runtime/version.ts';
import { printable } from '../protocol/plain-text.ts';
import type { JoinResponse } from '../protocol/index.ts';
import { removeOwnEntry } from './reboot/restart-plan.ts';
import { rejoinAfterRestart, RejoinFailure } from './reboot/rejoin.ts';
import { tellCustomer } from './reboot/tell-customer.ts';
import { deleteOwnBinary } from './runtime/cleanup.ts';

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (opts.help) { console.log(USAGE); return 0; }
  if (opts.version) { console.log(`bridge-agent ${AGENT_VERSION}`); return 0; }
  // Started by the one-time entry after a restart: the entry goes first, whatever happens next
  // (docs/ARCHITECTURE.md, "Reboot and reconnect").
  if (opts.reconnect) await removeOwnEntry().catch((e: Error) => console.error(`bridge-agent: could not remove the start-up entry: ${e.message}`));
  const server = opts.server ?? bakedServerUrl();
  if (!server) { console.error('No support server given: use --server URL.'); return 2; }

  // Before any native module: nut-js crashes the process when there is no display.
  const noDisplay = await checkDisplay();
  if (noDisplay) { console.error(noDisplay); return 3; }

  let joined: JoinResponse | undefined;
  if (opts.reconnect) {
    try {
      joined = await rejoinAfterRestart(opts.reconnect, server);
    } catch (e) {
      if (!(e instanceof RejoinFailure)) throw e;
      tellCustomer('Support session', printable(e.message)); // may quote the server
      if (isPackaged()) deleteOwnBinary(); // nothing left to come back for
      return 1;
    }
    console.log(`[bridge-agent] rejoined session ${joined.sessionId} after the restart`);
  }
  const key = joined ? '' : keyFromContext(opts, isPackaged() ? process.execPath : process.argv[1] ?? '') ?? (await promptKey());
  if (!joined && !key) { console.error('No session key: pass --key KEY, or run the agent file you downloaded (its name carries the key).'); return 2; }

  if (!isSea()) await ensureWindowAssets();
  await loadNatives();
  const { runAgent, JoinFailure } = await import('./run-agent.ts');
  try {
    // Grace periods may be shortened for tests and kiosk setups; the defaults suit customers.
    const ms = (name: string) => { const n = Number(process.env[name]); return Number.isFinite(n) && n > 0 ? n : undefined; };
    await runAgent({
      server, key: key ?? '', joined, makeEncoder: () => new FrameEncoder({ refineAfterMs: ms('BRIDGE_AGENT_REFINE_MS') }), linkBudget: process.env.BRIDGE_AGENT_LINK_BUDGET === '1', noBrowser: opts.noBrowser, terminal: opts.terminal,
      serverGraceMs: ms('BRIDGE_AGENT_SERVER_GRACE_MS'), windowGraceMs: ms('BRIDGE_AGENT_WINDOW_GRACE_MS'),
    });
  } catch (e) {
    removeTempFiles();
    if (e instanceof JoinFailure) { console.error(printable(e.message)); return 1; } // may quote the server
    throw e;
  }
  return -1; // running; the lifecycle exits the process
}

main().then((code) => { if (code >= 0) process.exit(code); }, (e) => {
  console.error(`bridge-agent: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
