// Show My Screen, the rep's half (docs/ARCHITECTURE.md, "Show My Screen"): capture a screen,
// window or tab with getDisplayMedia, encode it with WebCodecs' VideoEncoder (VP8, VP9 when VP8
// is missing) at a bounded bitrate and frame rate, and send each chunk to the server, which relays
// it to the customer's side. A keyframe on start, when the server asks (a new view, a view that
// caught up) and after a chunk too large to send. State for the component is in signals.
import { signal } from '@preact/signals';
import { REP_SCREEN_FRAME_BYTES, type Message, type Msg, type RepScreenCodec, type RepScreenShare } from '../protocol/index.ts';

/** Longest edge sent (a 4K screen is scaled down: the customer sees it in a chat-sized view). Asked of
 *  getDisplayMedia too: without a size Chromium scales the screen into 1280×720. */
const MAX_EDGE = 1920;
const FPS = 10;
/** Bits per second: ~125 KB/s, within the reference tools' screen-demo budgets. */
const BITRATE = 1_000_000;
const CODECS: RepScreenCodec[] = ['vp8', 'vp09.00.10.08'];
/** The rep's own uplink is slower than the bitrate: skip captures (not encoded frames, so no keyframe is needed) while this much waits to be sent. */
const MAX_BACKLOG = 1024 * 1024;

export type ShowState = 'idle' | 'starting' | 'sharing';

/** Whether this browser can show the rep's screen at all (capture and encoder). */
export function canShowScreen(): boolean {
  return typeof VideoEncoder !== 'undefined' && typeof VideoFrame !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
}

export class ScreenShow {
  readonly state = signal<ShowState>('idle');
  /** The share as the server announces it (viewers, views that can't decode). */
  readonly share = signal<RepScreenShare | null>(null);
  /** Why the last share ended or couldn't start, for the rep to read; null when nothing to say. */
  readonly note = signal<string | null>(null);
  private stream: MediaStream | null = null;
  private video: HTMLVideoElement | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private encoder: VideoEncoder | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private codec: RepScreenCodec = 'vp8';
  private seq = 0;
  private wantKey = true;
  private size = { w: 0, h: 0 };

  constructor(
    private readonly sessionId: string,
    private readonly repId: () => string,
    private readonly send: (m: Message) => boolean,
    private readonly backlog: () => number = () => 0,
  ) {}

  async start(): Promise<void> {
    if (this.state.value !== 'idle') return;
    this.note.value = null;
    if (!canShowScreen()) {
      this.note.value = "This browser can't show your screen (it lacks WebCodecs video encoding or screen capture): use a current Chrome, Edge, Firefox or Safari.";
      return;
    }
    this.state.value = 'starting';
    try {
      this.codec = await pickCodec();
      this.stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: FPS, width: { max: MAX_EDGE }, height: { max: MAX_EDGE } }, audio: false });
    } catch (e) {
      this.state.value = 'idle';
      this.stream = null;
      this.note.value = (e as Error).name === 'NotAllowedError' ? 'Nothing is shown: choosing a screen, window or tab was cancelled.' : `Your screen can't be shown: ${(e as Error).message}`;
      return;
    }
    const track = this.stream.getVideoTracks()[0];
    // The browser's own "Stop sharing" ends the share too.
    track.addEventListener('ended', () => this.stop());
    this.video = Object.assign(document.createElement('video'), { muted: true, playsInline: true, srcObject: this.stream });
    await this.video.play().catch(() => {});
    this.canvas = document.createElement('canvas');
    this.send({ t: 'repscreen.start', sessionId: this.sessionId, codec: this.codec });
  }

  /** The rep stops (or the captured source went away). */
  stop(): void {
    if (this.state.value === 'idle') return;
    this.send({ t: 'repscreen.stop', sessionId: this.sessionId });
    this.release();
  }

  /** The server's word on the share: ours started (encoding begins), or it ended (and why). */
  onState(msg: Msg<'repscreen.state'>): void {
    const mine = msg.share && msg.share.repId === this.repId() ? msg.share : null;
    this.share.value = msg.share;
    if (mine && this.state.value === 'starting') {
      this.state.value = 'sharing';
      this.wantKey = true;
      this.timer = setInterval(() => this.tick(), 1000 / FPS);
    }
    if (!msg.share && this.state.value !== 'idle') {
      this.note.value = ENDED[msg.ended ?? 'rep'] ?? null;
      this.release();
    }
  }

  /** The server refused to start (another rep shows theirs, the session isn't active). */
  refused(message: string): void {
    if (this.state.value === 'idle') return;
    this.note.value = message;
    this.release();
  }

  /** The server asks for a keyframe (a view opened or caught up). */
  keyframe(): void {
    this.wantKey = true;
  }

  /** This console's rep (the share's owner when it is ours). */
  repIdNow(): string {
    return this.repId();
  }

  dispose(): void {
    this.stop();
  }

  private tick(): void {
    const v = this.video;
    const c = this.canvas;
    if (!v || !c || v.readyState < 2 || !v.videoWidth || this.backlog() > MAX_BACKLOG) return;
    const scale = Math.min(1, MAX_EDGE / Math.max(v.videoWidth, v.videoHeight));
    // Even sizes: VP8/VP9 encoders work in 2×2 chroma blocks.
    const w = Math.max(2, Math.round((v.videoWidth * scale) / 2) * 2);
    const h = Math.max(2, Math.round((v.videoHeight * scale) / 2) * 2);
    if (!this.encoder || w !== this.size.w || h !== this.size.h) this.configure(w, h);
    const enc = this.encoder!;
    // The encoder is behind: skip this capture rather than queue them up.
    if (enc.encodeQueueSize > 2) return;
    c.getContext('2d')!.drawImage(v, 0, 0, w, h);
    const frame = new VideoFrame(c, { timestamp: performance.now() * 1000 });
    enc.encode(frame, { keyFrame: this.wantKey });
    this.wantKey = false;
    frame.close();
  }

  private configure(w: number, h: number): void {
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    this.canvas!.width = w;
    this.canvas!.height = h;
    this.size = { w, h };
    this.wantKey = true;
    this.encoder = new VideoEncoder({
      output: (chunk) => this.sendChunk(chunk, w, h),
      error: (e) => {
        this.note.value = `Showing your screen stopped: the video encoder failed (${e.message}).`;
        this.stop();
      },
    });
    this.encoder.configure({ codec: this.codec, width: w, height: h, bitrate: BITRATE, framerate: FPS, latencyMode: 'realtime' });
  }

  private sendChunk(chunk: EncodedVideoChunk, w: number, h: number): void {
    const share = this.share.value;
    if (!share || share.repId !== this.repId() || this.state.value !== 'sharing') return;
    // A chunk the server would refuse: send a fresh keyframe instead (this one is lost anyway).
    if (chunk.byteLength > REP_SCREEN_FRAME_BYTES) { this.wantKey = true; return; }
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const sent = this.send({ t: 'repscreen.frame', sessionId: this.sessionId, share: share.id, seq: ++this.seq, key: chunk.type === 'key', ts: Date.now(), w, h, data });
    // Offline: what follows must start with a keyframe.
    if (!sent) this.wantKey = true;
  }

  private release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    this.encoder = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    if (this.video) this.video.srcObject = null;
    this.video = null;
    this.canvas = null;
    this.size = { w: 0, h: 0 };
    this.state.value = 'idle';
  }
}

const ENDED: Record<string, string | null> = {
  rep: null,
  customer: 'The customer closed the view of your screen.',
  left: 'Showing your screen stopped: your connection dropped or you left the session. Show it again if needed.',
  ended: null,
};

/** VP8 first (cheapest to encode in software), VP9 when the browser lacks a VP8 encoder. */
async function pickCodec(): Promise<RepScreenCodec> {
  for (const codec of CODECS) {
    const r = await VideoEncoder.isConfigSupported({ codec, width: 1280, height: 720, bitrate: BITRATE, framerate: FPS }).catch(() => null);
    if (r?.supported) return codec;
  }
  throw new Error('this browser has no VP8 or VP9 video encoder');
}
