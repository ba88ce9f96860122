// `npm run migrate-store -- --from data/bridge.db --to postgres://user@host:5432/bridge [--replace]`:
// moves an embedded SQLite install's records into PostgreSQL (docs/DEPLOYMENT.md, "Moving from
// SQLite to PostgreSQL"). Stop the server first; the SQLite file is only read.
import { parseArgs } from 'node:util';
import { copyStore, CopyRefused } from './store/copy-store.ts';

const USAGE = 'usage: npm run migrate-store -- --from <data dir>/bridge.db --to postgres://user@host:5432/db [--replace] [--batch N]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean' }, batch: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (e) {
    console.error(`migrate-store: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) { console.log(USAGE); return 0; }
  if (!values.from || !values.to) { console.error(`migrate-store: --from and --to are both needed\n${USAGE}`); return 2; }
  if (!/^postgres(ql)?:\/\//.test(values.to)) { console.error(`migrate-store: --to is a postgres:// URL\n${USAGE}`); return 2; }
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  if (batch !== undefined && !(Number.isInteger(batch) && batch > 0)) { console.error('migrate-store: --batch is a positive whole number of rows'); return 2; }
  const started = Date.now();
  try {
    await copyStore({ from: values.from, to: values.to, replace: values.replace ?? false, batchRows: batch, log: (l) => console.log(l) });
  } catch (e) {
    console.error(`migrate-store: ${(e as Error).message}`);
    return e instanceof CopyRefused ? 3 : 1;
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: start Bridge with BRIDGE_DATABASE_URL set to the target`);
  return 0;
}

process.exit(await main());
