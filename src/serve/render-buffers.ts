import { RenderBuffer } from '../exposition/render-buffer.js';

/** A {@link RenderBuffer} lent for one body; it goes back to its pool when every holder has released it. */
export interface BufferLoan {
  readonly buffer: RenderBuffer;
  /** Called once by each holder when it no longer reads the buffer's memory. Never throws. */
  release(): void;
}

/** Buffers kept between scrapes: one body at a time is the rule (concurrent scrapes share one); a second gets fresh memory. */
const MAX_IDLE = 1;

/**
 * The render buffers of one metrics handler, reused from one scrape to the next so that a large
 * body is written into memory already paged in (see `RenderBuffer`). The pool holds about one
 * body's size per kept buffer between scrapes: memory traded for time, as a server of the same
 * metrics would keep its last body.
 */
export class RenderBufferPool {
  private readonly idle: RenderBuffer[] = [];

  /**
   * Lends a buffer until `holders` releases: a body's chunks are views of its memory, so it is
   * reused only once the renderer has stopped and every reader has sent its last chunk.
   */
  lend(holders: number): BufferLoan {
    const buffer = this.idle.pop() ?? new RenderBuffer();
    let holding = holders;
    return {
      buffer,
      release: () => {
        holding--;
        if (holding === 0 && this.idle.length < MAX_IDLE) this.idle.push(buffer);
      },
    };
  }
}
