// The wire contract shared by every part of Bridge. No Node-only or DOM-only imports here.
export * from './version.ts';
export * from './limits.ts';
export * from './errors.ts';
export * from './messages/index.ts';
export * from './codec.ts';
export * from './http.ts';
export * from './settings.ts';
export * from './admin.ts';
export * from './api/events.ts';
export * from './api/endpoints.ts';
export * from './session-key.ts';
export * from './connection.ts';
export * from './event-text.ts';
export * from './plain-text.ts';
export * from './recording-format.ts';
export * from './diagnostics-text.ts';
export * from './palette-stream.ts';
