// Unacknowledged reliable messages kept across a reload (docs/ARCHITECTURE.md, web chat "Reload"):
// the page resends them with the same ids and the server dedupes them.
import type { ReliableMessage } from '../../protocol/messages/index.ts';
import type { PersistLike } from './types.ts';

export function createOutbox(storage: PersistLike | null, sessionId: string) {
  const key = `bridge.outbox.${sessionId}`;
  return {
    save(pending: ReliableMessage[]): void {
      if (!storage) return;
      if (pending.length) storage.setItem(key, JSON.stringify(pending));
      else storage.removeItem(key);
    },
    /** What the last page left unacknowledged in this session. */
    load(): ReliableMessage[] {
      if (!storage) return [];
      try {
        const saved = JSON.parse(storage.getItem(key) ?? '[]') as ReliableMessage[];
        return saved.filter((m) => m && m.sessionId === sessionId);
      } catch {
        storage.removeItem(key);
        return [];
      }
    },
  };
}
