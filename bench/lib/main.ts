// Lets a bench module run alone (node --import tsx bench/<name>.ts) as well as under bench/run.ts.
import { fileURLToPath } from 'node:url';
import type { BenchResult } from '../types.ts';

export async function runIfMain(moduleUrl: string, run: () => Promise<BenchResult>): Promise<void> {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const r = await run();
  for (const row of r.rows) console.log(`${row.ok === false ? 'MISS ' : ''}${row.scenario} — ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target})` : ''}`);
  for (const n of r.notes ?? []) console.log(`- ${n}`);
  process.exit(0); // stray handles (sockets, timers) must not keep a finished bench alive
}
