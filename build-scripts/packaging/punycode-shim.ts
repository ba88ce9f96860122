// Stands in for Node's deprecated `punycode` module inside the agent bundle. nut-js → jimp →
// node-fetch 2 → whatwg-url 5 / tr46 0.0.3 require('punycode'); Node 22 warns (DEP0040) when
// that require comes from outside node_modules, which a bundle always is, so the customer's
// terminal would show a DeprecationWarning. Those modules use only toASCII, toUnicode and
// ucs2, and the agent never reaches them (jimp fetches URLs; the agent gives it none);
// node:url's IDNA functions cover them without a new dependency.
import { domainToASCII, domainToUnicode } from 'node:url';

/** A domain's ASCII form (IDNA); unchanged when it has none. */
export function toASCII(domain: string): string {
  return domainToASCII(domain) || domain;
}

export function toUnicode(domain: string): string {
  return domainToUnicode(domain) || domain;
}

/** Code points of a string (lone surrogates kept as they are, as punycode.ucs2 does). */
export const ucs2 = {
  decode: (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!),
  encode: (points: number[]): string => String.fromCodePoint(...points),
};

export default { toASCII, toUnicode, ucs2 };
