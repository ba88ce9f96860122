// Browser side of viewer.test.ts: the real ScreenSession (decoders, display, acks) fed with
// frames decoded by the real codec. Exposed on window for the test to drive.
import { decode, type Message } from '../../protocol/index.ts';
import { ScreenSession } from '../../console/viewer/screen.ts';

const sent: Message[] = [];
const screen = new ScreenSession('s1', 'rep-1', (m) => { sent.push(m); return true; });
document.body.appendChild(screen.display.canvas);

function fromBase64(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

(window as unknown as Record<string, unknown>).viewer = {
  feed(b64: string): string | null {
    const r = decode(fromBase64(b64));
    if (!r.ok) return r.error.message;
    if (r.msg.t === 'frame') screen.onFrame(r.msg);
    else if (r.msg.t === 'grant') screen.onGrant(r.msg);
    return null;
  },
  idle: () => screen.idle(),
  sent: () => sent.map((m) => ({ t: m.t, seq: 'seq' in m ? m.seq : undefined })),
  pixel(x: number, y: number): number {
    const d = screen.display.canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
    return (d[0] << 16) | (d[1] << 8) | d[2];
  },
  size: () => [screen.display.width, screen.display.height],
  /** The whole canvas as RGB, base64 (small screens only). */
  rgb(): string {
    const { width, height } = screen.display;
    const d = screen.display.canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    let out = '';
    for (let i = 0; i < d.length; i += 4) out += String.fromCharCode(d[i], d[i + 1], d[i + 2]);
    return btoa(out);
  },
};
