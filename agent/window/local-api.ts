// The window ↔ agent contract over loopback, besides the protocol socket (/ws) on which the
// window's chat store talks to the agent as if it were the server. Plain JSON over HTTP,
// validated with valibot on the agent side. Shared by the host (host/server.ts) and the page (ui/).
import * as v from 'valibot';
import { Grant, Id, REBOOT_ANSWERS, ShortText } from '../../protocol/messages/index.ts';

/** GET /<token>/info */
export const WindowInfo = v.object({ sessionId: v.string(), shortcut: ShortText });
export type WindowInfo = v.InferOutput<typeof WindowInfo>;

/** POST /<token>/consent: the customer's decision (prompt answer, END SCREEN SHARE, CHANGE RELEASE). */
export const ConsentRequest = v.object({
  grant: Grant,
  /** Window ids (from GET /windows) to share instead of the whole screen; null = whole screen;
   *  'same' = keep the current selection (letting a rep who joined later in as well). */
  windows: v.optional(v.nullable(v.union([v.literal('same'), v.pipe(v.array(v.pipe(v.number(), v.integer())), v.maxLength(64))]))),
  /** The `session.screenRequest` this answers (from the consent prompt), so the agent can tell
   *  the server which request was refused (`screen.decline`) or granted. */
  requestId: v.optional(Id),
  /** The rep ids the prompt named: the grant covers exactly those (the ones still in the session).
   *  Absent: a change keeps whom the grant covers; a first grant covers the reps in the session. */
  reps: v.optional(v.pipe(v.array(Id), v.maxLength(64))),
});
export type ConsentRequest = v.InferOutput<typeof ConsentRequest>;

/** POST /<token>/close (empty JSON body): the customer closes the window after the session ended;
 *  the agent closes it and finishes. The page falls back to window.close(). */
export const CLOSE_PATH = 'close';
export const CloseRequest = v.object({});
export type CloseRequest = v.InferOutput<typeof CloseRequest>;

/** GET /<token>/windows: what the customer can pick for application sharing. */
export const WindowList = v.array(v.object({ id: v.number(), title: ShortText, x: v.number(), y: v.number(), w: v.number(), h: v.number() }));
export type WindowList = v.InferOutput<typeof WindowList>;

/** GET /<token>/state: the agent's view, for the window's banner. Also pushed as protocol `grant`. */
export const AgentState = v.object({
  grant: Grant,
  epoch: v.number(),
  apps: v.nullable(v.array(ShortText)),
  pausedUntil: v.number(),
  /** Rep names by id, for "Screen shared with …". */
  reps: v.array(v.object({ id: v.string(), name: ShortText })),
});
export type AgentState = v.InferOutput<typeof AgentState>;

/** The keyboard shortcut that ends screen sharing while the window has focus. */
export const END_SHARE_SHORTCUT = { key: 'E', ctrl: true, shift: true, label: 'Ctrl+Shift+E' };

/** GET /<token>/diagnostics: the rep's open diagnostics request and what it would collect. */
export const DIAGNOSTICS_PATH = 'diagnostics';
export const DiagnosticsAskView = v.nullable(v.object({
  requestId: Id,
  repName: ShortText,
  sections: v.array(v.object({ id: Id, title: ShortText })),
}));
export type DiagnosticsAskView = v.InferOutput<typeof DiagnosticsAskView>;
/** POST /<token>/diagnostics: the customer's answer to that request. */
export const DiagnosticsAnswer = v.object({ requestId: Id, allow: v.boolean() });
export type DiagnosticsAnswer = v.InferOutput<typeof DiagnosticsAnswer>;

/** GET /<token>/reboot: the rep's open restart request (docs/ARCHITECTURE.md, "Reboot and reconnect"). */
export const REBOOT_PATH = 'reboot';
export const RebootAskView = v.nullable(v.object({ requestId: Id, repName: ShortText }));
export type RebootAskView = v.InferOutput<typeof RebootAskView>;
/** POST /<token>/reboot: the customer's answer: restart, only log out, or not now. */
export const RebootAnswerBody = v.object({ requestId: Id, answer: v.picklist(REBOOT_ANSWERS) });
export type RebootAnswerBody = v.InferOutput<typeof RebootAnswerBody>;
