// The connectors this site has configured (docs/ARCHITECTURE.md, "Help-desk integration"); the
// outbox delivers to each of them as it delivers to webhook endpoints.
import type { Ctx } from '../context.ts';
import type { Connector } from './connector.ts';
import { RequestTrackerConnector } from './request-tracker/connector.ts';

export function createConnectors(ctx: Ctx): Connector[] {
  const connectors: Connector[] = [];
  const rt = ctx.config.integrations.requestTracker;
  if (rt) connectors.push(new RequestTrackerConnector(ctx, rt));
  return connectors;
}
