// The connectors this site has configured (docs/ARCHITECTURE.md, "Help-desk integration"); the
// outbox delivers to each of them as it delivers to webhook endpoints.
import type { Ctx } from '../context.ts';
import type { Connector } from './connector.ts';

export function createConnectors(_ctx: Ctx): Connector[] {
  return [];
}
