// Which viewers decode video (docs/ARCHITECTURE.md "Video tier"): each viewer's refresh says what
// it decodes (the server drops that list when its `screen.video` setting is off). Video rects go
// out only while every viewer who said anything decodes VP8 and at least one did: a viewer that
// cannot keeps the whole display on rects.
import type { Msg } from '../../protocol/index.ts';

export class VideoViewers {
  private readonly byRep = new Map<string, boolean>();

  /** A covered rep's refresh; returns whether video may be sent now. */
  refresh(msg: Msg<'frame.refresh'>): boolean {
    const id = msg.from?.id;
    if (id !== undefined && msg.video !== undefined) this.byRep.set(id, msg.video.includes('vp8'));
    return this.on;
  }

  /** Reps no longer in the session stop counting. */
  keep(present: (repId: string) => boolean): boolean {
    for (const id of [...this.byRep.keys()]) if (!present(id)) this.byRep.delete(id);
    return this.on;
  }

  get on(): boolean {
    return this.byRep.size > 0 && [...this.byRep.values()].every(Boolean);
  }
}
