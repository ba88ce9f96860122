// What every route module gets: configuration, store, the session hub, the directory and the
// help-desk integrations.
import type { ServerConfig } from './config.ts';
import type { Directory } from './core/directory.ts';
import type { Hub } from './core/hub.ts';
import type { SharedCounts } from './core/shared-counts.ts';
import type { Integrations } from './integrations/integrations.ts';
import type { Recorder } from './recording/recorder.ts';
import type { RecordingStorage } from './recording/storage.ts';
import type { LiveSettings } from './settings/live-settings.ts';
import type { Store } from './store/store.ts';

export interface Ctx {
  /** The server's own configuration; site settings are in `settings` (they change while running). */
  config: ServerConfig;
  /** The site settings as they are now: read them when needed, never keep a copy. */
  settings: LiveSettings;
  store: Store;
  hub: Hub;
  dir: Directory;
  /** Outbound events: the outbox, its dispatcher, where events come from, endpoint management. */
  integrations: Integrations;
  /** Session recordings: the recorder the relay feeds, and where recordings are kept. */
  recordings: { recorder: Recorder; storage: RecordingStorage };
  /** The origin clients reach the server on (no trailing slash), known once listening. */
  publicUrl(): string;
  /** Several nodes: the rate limits' counts, shared by all nodes ("Several nodes"); absent on one node. */
  counts?: SharedCounts;
}
