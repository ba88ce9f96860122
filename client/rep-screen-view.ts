// Show My Screen, the customer's half (docs/ARCHITECTURE.md, "Show My Screen"): decodes the
// rep's chunks with WebCodecs' VideoDecoder onto a canvas and acknowledges each painted frame, so
// the server sends this view more. Used by the browser chat and the agent window alike.
import type { Message, RepScreenFrame, RepScreenShare } from '../protocol/messages/index.ts';

/** Whether this browser can show a rep's screen (WebCodecs' decoder). */
export function canDecodeRepScreen(): boolean {
  return typeof VideoDecoder !== 'undefined' && typeof EncodedVideoChunk !== 'undefined';
}

export class RepScreenView {
  private decoder: VideoDecoder | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private share: RepScreenShare | null = null;
  /** Nothing decodes before a keyframe (after opening or an error). */
  private needKey = true;

  constructor(
    private readonly sessionId: string,
    private readonly send: (m: Message) => boolean,
  ) {}

  /** Shows `share` on `canvas` (opens the view at the server), or tells the server it can't. */
  open(share: RepScreenShare, canvas: HTMLCanvasElement | null): void {
    this.closeDecoder();
    this.share = share;
    this.canvas = canvas;
    if (!canvas || !canDecodeRepScreen()) {
      this.send({ t: 'repscreen.view', sessionId: this.sessionId, share: share.id, state: 'unsupported' });
      return;
    }
    this.decoder = this.newDecoder(share);
    this.needKey = true;
    this.send({ t: 'repscreen.view', sessionId: this.sessionId, share: share.id, state: 'open' });
  }

  frame(msg: RepScreenFrame): void {
    const d = this.decoder;
    if (!d || !this.share || msg.share !== this.share.id) return;
    if (this.needKey && !msg.key) return this.ack(msg.seq);
    this.needKey = false;
    // The timestamp carries the seq, so the painted frame says what to acknowledge.
    d.decode(new EncodedVideoChunk({ type: msg.key ? 'key' : 'delta', timestamp: msg.seq, data: msg.data }));
  }

  /** The view goes (the customer closed it, the share ended, the page leaves). */
  close(): void {
    this.closeDecoder();
    this.share = null;
    this.canvas = null;
  }

  private newDecoder(share: RepScreenShare): VideoDecoder {
    const decoder = new VideoDecoder({
      output: (f) => {
        const c = this.canvas;
        if (c) {
          if (c.width !== f.displayWidth || c.height !== f.displayHeight) { c.width = f.displayWidth; c.height = f.displayHeight; }
          c.getContext('2d')?.drawImage(f, 0, 0);
        }
        const seq = f.timestamp;
        f.close();
        this.ack(seq);
      },
      // A decoder that failed is closed: start over from the next keyframe with a fresh one (the
      // view opens again, which resets what the server counts in flight for it).
      error: () => {
        if (this.share === share && this.decoder === decoder) this.open(share, this.canvas);
      },
    });
    decoder.configure({ codec: share.codec, optimizeForLatency: true });
    return decoder;
  }

  private ack(seq: number): void {
    if (this.share) this.send({ t: 'repscreen.ack', sessionId: this.sessionId, share: this.share.id, seq });
  }

  private closeDecoder(): void {
    const d = this.decoder;
    this.decoder = null;
    if (d && d.state !== 'closed') d.close();
  }
}
