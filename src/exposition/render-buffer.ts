import { Buffer } from 'node:buffer';

/**
 * Memory a caller lends the text renderers and keeps from one render to the next
 * (`renderChunks(snapshot, size, buffer)`), so that a large exposition is written into memory
 * that is already paged in. A fresh buffer per scrape costs more than the writing itself: every
 * page of it faults on first touch, and its size pushes the garbage collector into full
 * collections. The renderer keeps no state of its own: the memory lives here, with the caller.
 *
 * The chunks of a render into a `RenderBuffer` are views of its memory: they stay valid until
 * the next render into the same `RenderBuffer`, so the caller must be done with them (sent,
 * compressed) before reusing it. It grows to the largest exposition written into it and never
 * shrinks.
 */
export class RenderBuffer {
  /** @internal The memory the next render writes into; replaced by a larger one when a render outgrows it. */
  memory: Buffer;

  /** `size` is the starting capacity in bytes; it grows as needed. */
  constructor(size = 64 * 1024) {
    this.memory = Buffer.allocUnsafe(Math.max(1024, Math.floor(size)));
  }
}
