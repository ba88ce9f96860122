// Node's base binaries embed all of ICU's data (≈ 33 MB, CLDR for ≈ 700 locales); the agent speaks
// only Bridge's languages. The locale resources of every other language are dropped from the data
// package in place (docs/ARCHITECTURE.md "Agent packaging and download" → "Size"): their table of
// contents entries go, their bytes become zeros (which cost nothing once compressed), and nothing
// moves, so the executable's layout and every kept offset stay as they were. ICU then falls back
// to the root locale for a dropped language, as it does for any locale it lacks.
import { LANGUAGES } from '../../protocol/i18n/languages.ts';
import { PackagingError } from './errors.ts';

/** Languages whose locale data stays: Bridge's, and ICU's root (every fallback ends there). */
const KEEP = new Set<string>([...LANGUAGES, 'root']);
/** A locale resource's base name: a 2–3 letter language, optionally script/region/variant parts. */
const LOCALE_RES = /^([a-z]{2,3})(_[A-Za-z0-9]+)*\.res$/;
/** Data V8 never reads or the agent never needs: transliterators (no JavaScript API uses them) and
 *  the word dictionaries of Chinese/Japanese, Thai, Khmer, Lao and Burmese (only Intl.Segmenter on
 *  such text; without them ICU breaks it by character instead). */
const UNUSED = /\/translit\/|\.dict$/;

/** Part of the prepared base's cache name: a change to what is dropped prepares the bases again. */
export const ICU_TRIM_VERSION = 2;

export interface IcuTrim { items: number; dropped: number; bytesZeroed: number }

/** Finds the one ICU common data package ("CmnD") in an executable, or throws. */
function findPackage(bin: Buffer): number {
  let found = -1;
  for (let at = bin.indexOf('CmnD'); at !== -1; at = bin.indexOf('CmnD', at + 4)) {
    const start = at - 12;
    // DataHeader: headerSize (u16), magic 0xda 0x27, then UDataInfo whose dataFormat is at +12.
    if (start >= 0 && bin[start + 2] === 0xda && bin[start + 3] === 0x27 && bin[start + 8] === 0 /* little-endian */) {
      if (found !== -1) throw new PackagingError('BRIDGE_ICU_DATA', 'the Node base binary holds two ICU data packages; trimming needs exactly one.');
      found = start;
    }
  }
  if (found === -1) throw new PackagingError('BRIDGE_ICU_DATA', 'no ICU data package found in the Node base binary (a small-icu build?); set BRIDGE_AGENT_ICU_TRIM=0 to package it as is.');
  return found;
}

/**
 * Drops other languages' locale resources from the embedded ICU data, in place. Returns what it
 * did; a binary trimmed before is left as it is (nothing more to drop).
 */
export function trimIcu(bin: Buffer, keep: ReadonlySet<string> = KEEP): IcuTrim {
  const start = findPackage(bin);
  const toc = start + bin.readUInt16LE(start);
  const count = bin.readUInt32LE(toc);
  const entries = Array.from({ length: count }, (_, i) => ({ name: bin.readUInt32LE(toc + 4 + 8 * i), data: bin.readUInt32LE(toc + 8 + 8 * i) }));
  const nameOf = (e: { name: number }) => bin.toString('latin1', toc + e.name, bin.indexOf(0, toc + e.name));
  const kept: typeof entries = [];
  let bytesZeroed = 0;
  entries.forEach((e, i) => {
    const base = nameOf(e).split('/').pop()!;
    // res_index lists a tree's locales (it looks like one, "res" + "_index"); it stays.
    const m = base === 'res_index.res' ? null : LOCALE_RES.exec(base);
    // The last item's end isn't recorded anywhere, so it always stays.
    const drop = ((m !== null && !keep.has(m[1])) || UNUSED.test(nameOf(e))) && i + 1 < count;
    if (!drop) return void kept.push(e);
    const end = toc + entries[i + 1].data;
    bin.fill(0, toc + e.data, end);
    bytesZeroed += end - (toc + e.data);
  });
  bin.writeUInt32LE(kept.length, toc);
  kept.forEach((e, i) => {
    bin.writeUInt32LE(e.name, toc + 4 + 8 * i);
    bin.writeUInt32LE(e.data, toc + 8 + 8 * i);
  });
  bin.fill(0, toc + 4 + 8 * kept.length, toc + 4 + 8 * count);
  return { items: count, dropped: count - kept.length, bytesZeroed };
}
