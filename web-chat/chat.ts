// Everything the session needs beyond the portal (store, protocol, components), loaded on demand:
// with code splitting the portal's first load doesn't carry msgpackr, valibot or the chat.
export { ChatApp } from './ChatApp.tsx';
export { createChatStore } from './state/store.ts';
