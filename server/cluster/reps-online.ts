// Which reps are online on which node, and what availability each chose (docs/ARCHITECTURE.md,
// "Several nodes"): the portal's list of available reps, queue views and the command API read
// `Directory.availability`, which counts every node. Each node announces its whole list (a few
// hundred reps at most) when it changes, at most once per tick; a node starting hears everyone's.
import type { Directory } from '../core/directory.ts';
import type { Bus } from './connection.ts';
import { NODES, REPS, type NodeMsg, type RepsMsg } from './subjects.ts';

export class RepsOnline {
  private pending = false;

  constructor(private readonly bus: Bus, private readonly dir: Directory, private readonly changed: () => void) {}

  start(): void {
    this.bus.subscribe(REPS, (m) => {
      const { node, reps } = m as RepsMsg;
      this.dir.onlineOn(node, reps);
      this.changed();
    });
    this.bus.subscribe(NODES, (m) => {
      const { k, node } = m as NodeMsg;
      if (k === 'bye') {
        this.dir.onlineOn(node, []);
        this.changed();
      } else this.announce();
    });
    this.dir.onlineChanged = () => {
      if (this.pending) return;
      this.pending = true;
      setImmediate(() => this.announce());
    };
  }

  stop(): void {
    this.dir.onlineChanged = null;
  }

  private announce(): void {
    this.pending = false;
    this.bus.publish(REPS, { node: this.bus.nodeId, reps: this.dir.onlineHere() } satisfies RepsMsg);
  }
}
