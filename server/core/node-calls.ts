// What a room on another node hands a room here (docs/ARCHITECTURE.md, "Several nodes"): a file
// answer for the node holding the transfer, a diagnostics request for the agent's node. Rooms
// register a handler by name; the cluster link delivers to it. One node alone never calls these.
import type { LiveSession } from './live-session.ts';

export type NodeCallHandler = (ls: LiveSession, body: unknown, node: string) => void | Promise<void>;

export class NodeCalls {
  private readonly handlers = new Map<string, NodeCallHandler>();

  on(kind: string, handler: NodeCallHandler): void {
    this.handlers.set(kind, handler);
  }

  async handle(kind: string, ls: LiveSession, body: unknown, node: string): Promise<void> {
    await this.handlers.get(kind)?.(ls, body, node);
  }
}
