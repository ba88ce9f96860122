// Which pages may use click-to-chat (docs/ARCHITECTURE.md, "Click-to-chat"): the `Origin` of
// every request the loader makes must be one the administrator listed in embed.allowedOrigins.
// None listed: click-to-chat is off. A request without an Origin is not from a browser page.
import { ErrorCode } from '../../protocol/index.ts';
import type { ServerConfig } from '../config.ts';
import { HttpFail } from '../http/errors.ts';

/** The request's Origin when the site may embed the chat; otherwise a 403 that says what to change. */
export function embeddingOrigin(config: ServerConfig, origin: string | undefined): string {
  if (!origin) throw new HttpFail(403, ErrorCode.Forbidden, 'click-to-chat answers the pages of the sites that embed it: this request has no Origin');
  if (config.embed.allowedOrigins.length === 0) {
    throw new HttpFail(403, ErrorCode.Forbidden, 'click-to-chat is off on this server: an administrator lists the sites that may embed it in embed.allowedOrigins');
  }
  if (!config.embed.allowedOrigins.includes(origin)) {
    throw new HttpFail(403, ErrorCode.Forbidden, `${origin.slice(0, 100)} may not embed this chat: an administrator adds it to embed.allowedOrigins`);
  }
  return origin;
}
