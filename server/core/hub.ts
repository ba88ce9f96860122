// The server's session rooms, built once per process and wired to the one event stream
// (docs/ARCHITECTURE.md, "Bridge server"). All session state of the process lives in these
// objects (no module-level singletons), so a later multi-node design can replace them. Route and
// socket modules reach each room by name: `hub.lifecycle.accept(…)`, `hub.transcript.append(…)`.
import type { Actor } from '../../protocol/index.ts';
import type { ServerConfig } from '../config.ts';
import type { LiveSettings } from '../settings/live-settings.ts';
import type { Store } from '../store/store.ts';
import type { Directory } from './directory.ts';
import { SessionLifecycle } from './lifecycle.ts';
import { NodeCalls } from './node-calls.ts';
import { Presence } from './presence.ts';
import { Queues } from './queues.ts';
import { Reboots } from './reboots.ts';
import { SessionRegistry } from './registry.ts';
import { RepConsoles } from './rep-consoles.ts';
import { RepScreens } from './rep-screen.ts';
import { ScreenRequests } from './screen-requests.ts';
import { SessionEvents } from './session-events.ts';
import { SessionTimers } from './timers.ts';
import { Transcript } from './transcript.ts';
import { SessionViews } from './views.ts';

export class Hub {
  readonly system: Actor;
  readonly events = new SessionEvents();
  readonly sessions: SessionRegistry;
  readonly views: SessionViews;
  readonly consoles = new RepConsoles();
  readonly queues: Queues;
  readonly transcript: Transcript;
  readonly screen: ScreenRequests;
  readonly reboots: Reboots;
  readonly presence: Presence;
  readonly lifecycle: SessionLifecycle;
  readonly timers: SessionTimers;
  readonly repScreen: RepScreens;
  /** What rooms on other nodes hand this node's rooms (several nodes only). */
  readonly calls = new NodeCalls();

  constructor(readonly config: ServerConfig, readonly settings: LiveSettings, readonly store: Store, readonly dir: Directory) {
    // One actor object shared by every room: a new company name renames the system at once.
    this.system = { role: 'system', name: settings.get().companyName };
    settings.onChange((now) => {
      this.system.name = now.companyName;
    });
    this.sessions = new SessionRegistry(store);
    this.views = new SessionViews(dir);
    this.queues = new Queues(this.sessions, dir, this.views, this.consoles);
    this.transcript = new Transcript(store, dir, this.system);
    this.screen = new ScreenRequests(config, this.sessions, this.views, this.transcript);
    this.reboots = new Reboots(config, this.sessions, this.views, this.transcript, this.screen);
    this.repScreen = new RepScreens(this.transcript, this.calls);
    this.presence = new Presence(this.sessions, this.consoles, dir, this.views, this.queues);
    this.lifecycle = new SessionLifecycle({
      settings, store, dir, registry: this.sessions, views: this.views, queues: this.queues,
      transcript: this.transcript, screen: this.screen, reboots: this.reboots, consoles: this.consoles, events: this.events,
    });
    this.timers = new SessionTimers(settings, store, this.sessions, this.lifecycle, this.queues, this.screen, this.reboots, this.system);
    // Order matters: timers stop first, a rep's screen share ends (its line before the end's), then
    // the transcript writes the lines, then the views follow.
    this.events.subscribe((e) => this.timers.onSessionEvent(e));
    this.events.subscribe((e) => this.repScreen.onSessionEvent(e));
    this.events.subscribe((e) => this.transcript.onSessionEvent(e));
    this.events.subscribe((e) => this.queues.onSessionEvent(e));
  }

  start(): Promise<void> {
    return this.timers.start();
  }

  stop(): void {
    this.timers.stop();
  }
}
