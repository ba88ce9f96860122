// Plain MessagePack for the customer chat's bundle (docs/ARCHITECTURE.md "Web chat" → "Size"): the
// build aliases `msgpackr` to this file for web-chat only, so protocol/codec.ts runs unchanged on
// ~2 KB instead of msgpackr's 13 KB gzipped. It reads and writes what the chat's wire carries:
// msgpackr writes records only for screen frames (codec.ts), which the chat never receives, and
// every other message as plain maps. Two msgpackr conventions are kept: `undefined` is fixext 1
// of type 0, and integers 64–127 are written as uint 8, because msgpackr (records on) reads the
// single bytes 0x40–0x7f as record references.
const utf8Out = new TextEncoder();
const utf8In = new TextDecoder();

/** Same constructor shape as msgpackr's Packr (options are msgpackr's and ignored here). */
export class Packr {
  constructor(_options?: unknown) {}
  pack(value: unknown): Uint8Array {
    const w = new Writer();
    w.value(value);
    return w.bytes();
  }
}

/** Same constructor shape as msgpackr's Unpackr; decodes one value and refuses trailing bytes. */
export class Unpackr {
  constructor(_options?: unknown) {}
  unpack(bytes: Uint8Array): unknown {
    const r = new Reader(bytes);
    const v = r.value();
    if (r.pos !== bytes.length) throw new Error('trailing bytes after the value');
    return v;
  }
}

class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private u8(...xs: number[]): void {
    this.room(xs.length);
    for (const x of xs) this.buf[this.pos++] = x;
  }

  /** A type byte then a big-endian length or number of 1, 2 or 4 bytes. */
  private head(type: number, n: number, size: 1 | 2 | 4): void {
    this.room(5);
    this.buf[this.pos++] = type;
    if (size === 1) this.view.setUint8(this.pos, n);
    else if (size === 2) this.view.setUint16(this.pos, n);
    else this.view.setUint32(this.pos, n);
    this.pos += size;
  }

  /** Length-prefixed header: fixed form under `fix`, else 8 (if any), 16 or 32 bit. */
  private sized(n: number, fix: number, fixMax: number, t8: number | null, t16: number): void {
    if (n < fixMax) this.u8(fix | n);
    else if (t8 !== null && n < 0x100) this.head(t8, n, 1);
    else if (n < 0x10000) this.head(t16, n, 2);
    else this.head(t16 + 1, n, 4);
  }

  private raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  private number(n: number): void {
    if (!Number.isInteger(n) || n > 0xffffffff || n < -0x80000000) {
      this.room(9);
      this.buf[this.pos++] = 0xcb;
      this.view.setFloat64(this.pos, n);
      this.pos += 8;
    } else if (n >= 0) {
      if (n < 0x40) this.u8(n);
      else if (n < 0x100) this.u8(0xcc, n);
      else this.head(n < 0x10000 ? 0xcd : 0xce, n, n < 0x10000 ? 2 : 4);
    } else if (n >= -32) this.u8(n & 0xff);
    else {
      this.room(5);
      this.buf[this.pos++] = 0xd2;
      this.view.setInt32(this.pos, n);
      this.pos += 4;
    }
  }

  value(v: unknown): void {
    if (v === null) this.u8(0xc0);
    else if (v === undefined) this.u8(0xd4, 0, 0);
    else if (v === false || v === true) this.u8(v ? 0xc3 : 0xc2);
    else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'string') {
      const b = utf8Out.encode(v);
      this.sized(b.length, 0xa0, 32, 0xd9, 0xda);
      this.raw(b);
    } else if (v instanceof Uint8Array) {
      // bin has no fixed form (fixMax 0).
      this.sized(v.length, 0, 0, 0xc4, 0xc5);
      this.raw(v);
    } else if (Array.isArray(v)) {
      this.sized(v.length, 0x90, 16, null, 0xdc);
      for (const x of v) this.value(x);
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      this.sized(keys.length, 0x80, 16, null, 0xde);
      for (const k of keys) {
        this.value(k);
        this.value((v as Record<string, unknown>)[k]);
      }
    } else throw new Error(`cannot encode a ${typeof v}`);
  }
}

class Reader {
  pos = 0;
  private view: DataView;
  constructor(private b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.b.length) throw new Error('unexpected end of message');
    this.pos += n;
    return at;
  }

  /** An unsigned big-endian length of 1, 2 or 4 bytes. */
  private len(size: number): number {
    const at = this.take(size);
    return size === 1 ? this.b[at] : size === 2 ? this.view.getUint16(at) : this.view.getUint32(at);
  }

  private str(n: number): string {
    const at = this.take(n);
    return utf8In.decode(this.b.subarray(at, at + n));
  }

  private bin(n: number): Uint8Array {
    const at = this.take(n);
    return this.b.slice(at, at + n);
  }

  private array(n: number): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.value());
    return out;
  }

  private map(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = this.value();
      if (typeof k !== 'string' && typeof k !== 'number') throw new Error('map keys must be strings');
      // As msgpackr does: a key can't reach the prototype.
      out[k === '__proto__' ? '__proto_' : k] = this.value();
    }
    return out;
  }

  value(): unknown {
    const t = this.b[this.take(1)];
    if (t < 0x80) return t;
    if (t < 0x90) return this.map(t & 0x0f);
    if (t < 0xa0) return this.array(t & 0x0f);
    if (t < 0xc0) return this.str(t & 0x1f);
    if (t >= 0xe0) return t - 0x100;
    const v = this.view;
    switch (t) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: case 0xc5: case 0xc6: return this.bin(this.len(1 << (t - 0xc4)));
      case 0xca: return v.getFloat32(this.take(4));
      case 0xcb: return v.getFloat64(this.take(8));
      case 0xcc: return this.b[this.take(1)];
      case 0xcd: return v.getUint16(this.take(2));
      case 0xce: return v.getUint32(this.take(4));
      case 0xcf: { const at = this.take(8); return v.getUint32(at) * 2 ** 32 + v.getUint32(at + 4); }
      case 0xd0: return v.getInt8(this.take(1));
      case 0xd1: return v.getInt16(this.take(2));
      case 0xd2: return v.getInt32(this.take(4));
      case 0xd3: { const at = this.take(8); return v.getInt32(at) * 2 ** 32 + v.getUint32(at + 4); }
      case 0xd4: {
        const at = this.take(2);
        if (this.b[at] === 0) return undefined;
        throw new Error(`unsupported extension ${this.b[at]}`);
      }
      case 0xd9: case 0xda: case 0xdb: return this.str(this.len(1 << (t - 0xd9)));
      case 0xdc: case 0xdd: return this.array(this.len(t === 0xdc ? 2 : 4));
      case 0xde: case 0xdf: return this.map(this.len(t === 0xde ? 2 : 4));
      default: throw new Error(`unsupported type byte 0x${t.toString(16)}`);
    }
  }
}
