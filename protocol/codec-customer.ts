// The customer chat's codec (docs/ARCHITECTURE.md "Web chat" → "Size"): the web-chat build puts
// it in place of codec.ts (build-scripts/build.ts, CHAT_SWAPS). Same checks as codec.ts
// (decode.ts), but plain MessagePack and only the messages a customer receives, so the chat
// carries neither msgpackr nor the console's and agent's schemas. It never sends or receives a
// screen frame, the only message codec.ts writes as msgpackr records.
import { decodeWith, type Catalogue } from './decode.ts';
import { CUSTOMER_MESSAGE_TYPES, CustomerMessage } from './messages/customer.ts';
import { Packr, Unpackr } from './msgpack-plain.ts';
import type * as Full from './codec.ts';

const packr = new Packr();
const unpackr = new Unpackr();
const CUSTOMER: Catalogue<CustomerMessage> = { unpack: (b) => unpackr.unpack(b), schema: CustomerMessage, types: CUSTOMER_MESSAGE_TYPES };

// Typed as codec.ts's own exports, so the swap is checked.
export const encode: typeof Full.encode = (msg) => packr.pack(msg);
export const decode: typeof Full.decode = (bytes, opts) => decodeWith(CUSTOMER, bytes, opts);
export { toBytes } from './decode.ts';
