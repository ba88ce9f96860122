// A throwaway Request Tracker 5 from Debian's packages (request-tracker5, rt5-db-sqlite,
// rt5-standalone): its own config dir (RT_SITE_CONFIG_DIR) with a SQLite database in a temp dir,
// no web path, mail written to files instead of sent, on a free loopback port. One per test file.
//   const rt = await startRequestTracker();   // rt.url, rt.token, rt.queue, rt.customField
//   ...; await rt.stop();
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

const SETUP_DATABASE = '/usr/sbin/rt-setup-database';
const RT_SERVER = '/usr/share/request-tracker5/libexec/rt-server';

export interface TestRequestTracker {
  /** The RT origin, e.g. http://127.0.0.1:41234 (REST 2 under /REST/2.0/). */
  url: string;
  /** The queue the connector files into, and the ticket custom field that holds the session id. */
  queue: string;
  customField: string;
  /** An auth token of `bridge`, a privileged user with only the rights the connector needs on the queue. */
  token: string;
  bridgeUser: { username: string; password: string };
  /** RT's superuser (Debian's initial data). */
  root: { username: string; password: string };
  /** Milliseconds from the call to REST 2 answering, per step. */
  timings: { initMs: number; insertMs: number; serverMs: number; totalMs: number };
  /** Everything rt-server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.on('exit', () => {
  for (const p of live) killGroup(p, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  // rt-server is a prefork server: its workers share its process group (spawned detached).
  try { process.kill(-p.pid!, signal); } catch { /* gone already */ }
}


function siteConfig(dbFile: string, port: number): string {
  return `Set($rtname, 'bridge-test');
Set($Organization, 'bridge-test');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, '${dbFile}');
Set($WebPath, '');
Set($WebDomain, '127.0.0.1');
Set($WebPort, ${port});
Set($WebBaseURL, 'http://127.0.0.1:${port}');
Set($MailCommand, 'testfile');
Set($CorrespondAddress, 'rt@bridge.test');
Set($CommentAddress, 'rt-comment@bridge.test');
Set($LogToSyslog, undef);
Set($LogToSTDERR, 'warning');
1;
`;
}

/** Initial data for the connector: its queue, the session custom field, a user with just its
 *  rights on that queue (docs/INTEGRATIONS.md, "Request Tracker" lists the same), and a token. */
function connectorData(queue: string, customField: string, password: string): string {
  const rights = ['SeeQueue', 'CreateTicket', 'ShowTicket', 'ModifyTicket', 'CommentOnTicket', 'ShowTicketComments', 'SeeCustomField', 'ModifyCustomField', 'SetInitialCustomField'];
  return `@Queues = ({ Name => '${queue}', Description => 'Bridge remote support sessions' });
@CustomFields = ({ Name => '${customField}', Type => 'FreeformMultiple', LookupType => 'RT::Queue-RT::Ticket', Queue => ['${queue}'], Description => 'Bridge session ids' });
@Users = ({ Name => 'bridge', RealName => 'Bridge connector', EmailAddress => 'bridge@bridge.test', Privileged => 1, Password => '${password}' });
@ACL = (map { +{ UserId => 'bridge', Right => $_, Queue => '${queue}' } } qw(${rights.join(' ')}));
@Final = (sub {
  my $user = RT::User->new(RT->SystemUser);
  $user->Load('bridge');
  my $token = RT::AuthToken->new(RT->SystemUser);
  my ($ok, $msg, $auth) = $token->Create(Owner => $user->Id, Description => 'Bridge connector');
  die "auth token: $msg" unless $ok;
  open(my $fh, '>', $ENV{BRIDGE_RT_TOKEN_FILE}) or die "token file: $!";
  print $fh $auth;
  close $fh;
});
1;
`;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d; });
    p.stderr.on('data', (d: Buffer) => { out += d; });
    p.once('error', (e) => reject(new Error(`${cmd}: ${e.message} (is request-tracker5 installed? .ci/run installs it)`)));
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

export async function startRequestTracker(opts: { queue?: string; customField?: string } = {}): Promise<TestRequestTracker> {
  const t0 = Date.now();
  const queue = opts.queue ?? 'Remote support';
  const customField = opts.customField ?? 'Bridge session';
  const dir = mkdtempSync(join(tmpdir(), 'bridge-rt-'));
  dirs.add(dir);
  const configDir = join(dir, 'config');
  mkdirSync(configDir);
  const port = await freePort();
  writeFileSync(join(configDir, 'RT_SiteConfig.pm'), siteConfig(join(dir, 'rt.db'), port));
  const bridgeUser = { username: 'bridge', password: 'bridge-test-password' };
  writeFileSync(join(dir, 'connector-data.pl'), connectorData(queue, customField, bridgeUser.password));
  const tokenFile = join(dir, 'token');
  // RT_SITE_CONFIG_DIR replaces /etc/request-tracker5/RT_SiteConfig.d: the machine's RT config is not read.
  const env = { ...process.env, RT_SITE_CONFIG_DIR: configDir, BRIDGE_RT_TOKEN_FILE: tokenFile };

  await run(SETUP_DATABASE, ['--action', 'init', '--skip-create'], env);
  const initMs = Date.now() - t0;
  await run(SETUP_DATABASE, ['--action', 'insert', '--datafile', join(dir, 'connector-data.pl')], env);
  const insertMs = Date.now() - t0 - initMs;
  const token = readFileSync(tokenFile, 'utf8').trim();

  let out = '';
  const proc = spawn(RT_SERVER, ['--host', '127.0.0.1', '--port', String(port), '--max-workers', '2'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  proc.stdout!.on('data', (d: Buffer) => { out += d; });
  proc.stderr!.on('data', (d: Buffer) => { out += d; });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => { live.delete(proc); resolve(); }));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (!live.has(proc)) return;
    killGroup(proc, 'SIGTERM');
    const late = setTimeout(() => killGroup(proc, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(late);
    killGroup(proc, 'SIGKILL'); // workers that outlived their master
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!live.has(proc)) throw new Error(`rt-server exited before answering:\n${out}`);
    const ok = await fetch(`${url}/REST/2.0/queue/${encodeURIComponent(queue)}`, { headers: { authorization: `token ${token}` }, signal: AbortSignal.timeout(5000) })
      .then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`RT did not answer on ${url} within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const totalMs = Date.now() - t0;
  return {
    url, queue, customField, token, bridgeUser, root: { username: 'root', password: 'password' },
    timings: { initMs, insertMs, serverMs: totalMs - initMs - insertMs, totalMs },
    output: () => out,
    stop,
  };
}

export interface RtTicketView { id: number; subject: string; status: string; customFields: Record<string, string[]> }
export interface RtAttachment { Subject: string; Filename: string; ContentType: string; Content: string }

/** Reads and seeds RT over REST 2 as its superuser: what the tests check the connector did. */
export class RtReader {
  constructor(private readonly rt: TestRequestTracker) {}

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    const auth = Buffer.from(`${this.rt.root.username}:${this.rt.root.password}`).toString('base64');
    const r = await fetch(`${this.rt.url}/REST/2.0${path}`, {
      method, headers: { authorization: `Basic ${auth}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!r.ok) throw new Error(`RT ${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  }

  async ticket(id: number): Promise<RtTicketView> {
    const t = await this.call('GET', `/ticket/${id}`);
    const cfs = (t.CustomFields ?? []) as { name: string; values: string[] }[];
    return { id: Number(t.id), subject: t.Subject, status: t.Status, customFields: Object.fromEntries(cfs.map((c) => [c.name, c.values])) };
  }

  /** Tickets whose session custom field holds this session id. */
  async ticketsOfSession(sessionId: string): Promise<number[]> {
    const query = `CF.{${this.rt.customField}} = '${sessionId.replace(/[\\']/g, (c) => `\\${c}`)}'`;
    const page = await this.call('GET', `/tickets?query=${encodeURIComponent(query)}&orderby=id&order=ASC&per_page=100&fields=id`);
    return (page.items as { id: string | number }[]).map((i) => Number(i.id));
  }

  async attachments(ticket: number): Promise<RtAttachment[]> {
    const page = await this.call('GET', `/ticket/${ticket}/attachments?fields=Subject,Filename,ContentType,Content&per_page=100`);
    // REST 2 sends attachment content base64-encoded in some versions and as text in others.
    return (page.items as RtAttachment[]).map((a) => ({ ...a, Content: /^[A-Za-z0-9+/=\s]+$/.test(a.Content) && a.Content.length > 8 ? Buffer.from(a.Content, 'base64').toString('utf8') : a.Content }));
  }

  async createTicket(subject: string, content: string): Promise<number> {
    const r = await this.call('POST', '/ticket', { Queue: this.rt.queue, Subject: subject, Content: content });
    return Number(r.id);
  }
}
