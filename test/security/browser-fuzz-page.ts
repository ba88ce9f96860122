// Browser side of fuzz-browser.serial.test.ts: the protocol codec and the console's real
// ScreenSession (decoders, canvas, acks), as bundled for the browser, exposed for the test.
import { decode, type Message } from '../../protocol/index.ts';
import { ScreenSession } from '../../console/viewer/screen.ts';

const sent: Message[] = [];
const screen = new ScreenSession('s1', 'rep-1', (m) => { sent.push(m); return true; });
document.body.appendChild(screen.display.canvas);
const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

(window as unknown as Record<string, unknown>).fuzz = {
  /** decode() over many inputs: error codes seen, or the first throw. */
  decodeAll(list: string[]): { ok: number; codes: string[]; threw: string | null } {
    let ok = 0;
    const codes = new Set<string>();
    for (const b64 of list) {
      try {
        const r = decode(fromBase64(b64));
        if (r.ok) ok++;
        else codes.add(r.error.code);
      } catch (e) {
        return { ok, codes: [...codes], threw: String((e as Error).stack ?? e) };
      }
    }
    return { ok, codes: [...codes], threw: null };
  },
  /** Feeds encoded frames to the viewer; resolves once it painted (or skipped) them all. */
  async feed(list: string[]): Promise<{ acks: number; threw: string | null }> {
    try {
      for (const b64 of list) {
        const r = decode(fromBase64(b64));
        if (r.ok && r.msg.t === 'frame') screen.onFrame(r.msg);
      }
      await screen.idle();
    } catch (e) {
      return { acks: sent.filter((m) => m.t === 'frame.ack').length, threw: String((e as Error).stack ?? e) };
    }
    return { acks: sent.filter((m) => m.t === 'frame.ack').length, threw: null };
  },
  pixel(x: number, y: number): number {
    const d = screen.display.canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
    return (d[0] << 16) | (d[1] << 8) | d[2];
  },
  size: () => [screen.display.width, screen.display.height],
};
