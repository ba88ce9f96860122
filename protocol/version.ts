/** Wire protocol version. Bump on any incompatible change to a message schema. */
export const PROTOCOL_VERSION = 1;
