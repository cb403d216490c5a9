import type { Buffer } from 'node:buffer';

/** A reader's place in a {@link SharedBody}. */
export interface BodyReader {
  readonly __bodyReader: true;
}

/**
 * One response body, produced once and read by every scrape that joined while it was starting.
 * Each reader goes at its own pace; the source is pulled only when the fastest reader needs the
 * next chunk. The first `joinWindowBytes` are kept, so that scrapes arriving a little later can
 * still join from the start (for `joinWindowMs` at most); past that window a chunk is let go
 * as soon as every reader has taken it, so memory is bounded by the window plus the gap between the fastest and the
 * slowest reader (which the scrape deadline bounds). When the last reader leaves before the
 * end, the source is stopped.
 */
export class SharedBody {
  private readonly source: AsyncGenerator<Buffer, void, undefined>;
  private readonly joinWindowBytes: number;
  private readonly joinableUntil: number;
  private producedBytes = 0;
  private readonly chunks: Buffer[] = [];
  /** Chunks let go from the front: the index of `chunks[0]` in the whole body. */
  private released = 0;
  private finished = false;
  private failure: { readonly error: unknown } | undefined;
  private pulling: Promise<void> | undefined;
  private readonly positions = new Map<BodyReader, number>();
  private readonly onAllLeft: (() => void) | undefined;

  /**
   * @param joinWindowBytes how much of the body's start is kept for readers that join late.
   * @param joinWindowMs how long after it was made the body may still be joined: a scrape must
   *   not be answered from a snapshot much older than itself (say, one held back by stalled readers).
   * @param onAllLeft called once, when the last reader has left: no reader holds a chunk any more.
   */
  constructor(
    source: AsyncGenerator<Buffer, void, undefined>,
    joinWindowBytes: number,
    joinWindowMs: number,
    onAllLeft?: () => void,
  ) {
    this.source = source;
    this.onAllLeft = onAllLeft;
    this.joinWindowBytes = joinWindowBytes;
    this.joinableUntil = performance.now() + joinWindowMs;
  }

  /** Whether a new reader can still get the whole body from its start. */
  get joinable(): boolean {
    return this.released === 0 && !this.finished && performance.now() <= this.joinableUntil;
  }

  /** Adds a reader at the start of the body. */
  join(): BodyReader {
    const reader = {} as BodyReader;
    this.positions.set(reader, 0);
    return reader;
  }

  /**
   * The reader's next chunk, or `undefined` at the end.
   * @throws whatever the source threw, to every reader that reaches the failure.
   */
  async read(reader: BodyReader): Promise<Buffer | undefined> {
    for (;;) {
      const position = this.positions.get(reader);
      if (position === undefined) return undefined; // left already
      const chunk = this.chunks[position - this.released];
      if (chunk !== undefined) {
        this.positions.set(reader, position + 1);
        this.releaseTaken();
        return chunk;
      }
      if (this.failure !== undefined) throw this.failure.error;
      if (this.finished) return undefined;
      await this.pull();
    }
  }

  /** Removes a reader; the last one to leave early stops the source. Never throws. */
  leave(reader: BodyReader): void {
    if (!this.positions.delete(reader)) return;
    if (this.positions.size === 0) {
      if (!this.finished) {
        this.finished = true;
        this.source.return(undefined).catch(() => {});
      }
      // No new reader can join now (finished), so this runs once.
      this.onAllLeft?.();
    }
    this.releaseTaken();
  }

  /** One pull at a time, shared by every reader waiting for the same chunk. */
  private pull(): Promise<void> {
    this.pulling ??= this.source
      .next()
      .then(
        (step) => {
          if (step.done) this.finished = true;
          else {
            this.chunks.push(step.value);
            this.producedBytes += step.value.length;
          }
        },
        (error: unknown) => {
          this.failure = { error };
          this.finished = true;
        },
      )
      .finally(() => {
        this.pulling = undefined;
      });
    return this.pulling;
  }

  /** Lets go of the chunks every reader has taken, once the join window has passed. */
  private releaseTaken(): void {
    if (!this.finished && this.producedBytes <= this.joinWindowBytes) return;
    let slowest = this.released + this.chunks.length;
    for (const position of this.positions.values()) slowest = Math.min(slowest, position);
    const taken = slowest - this.released;
    if (taken > 0) {
      this.chunks.splice(0, taken);
      this.released = slowest;
    }
  }
}
