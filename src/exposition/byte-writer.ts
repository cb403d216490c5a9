import { Buffer } from 'node:buffer';
import { formatValue } from './format-number.js';
import type { RenderBuffer } from './render-buffer.js';

const NEWLINE = 10;
const ZERO = 48;

/**
 * Appends UTF-8 bytes to a growing buffer. Writing bytes instead of joining strings spares the
 * garbage collector one string per piece, and lets a repeated run of bytes (a histogram's
 * `name_bucket{labels,le="`) be copied inside the buffer instead of being built again.
 * Internal to the renderers.
 */
export class ByteWriter {
  private buffer: Buffer;
  /** Where the current chunk starts: bytes before it were handed out by {@link cut}. */
  private chunkStart = 0;
  /** Where the next write goes. */
  offset = 0;
  /** The caller's memory, told of every larger buffer so that the next render starts with it. */
  private readonly lent: RenderBuffer | undefined;

  /**
   * `expectedSize` is a guess; a good one saves copying the buffer as it grows. With `lent`,
   * writing starts in its memory when that is large enough, and a buffer grown past it replaces it.
   */
  constructor(expectedSize = 64 * 1024, lent?: RenderBuffer) {
    this.lent = lent;
    const size = Math.max(expectedSize, 1024);
    if (lent === undefined) this.buffer = Buffer.allocUnsafe(size);
    else {
      if (lent.memory.length < size) lent.memory = Buffer.allocUnsafe(size);
      this.buffer = lent.memory;
    }
  }

  /** Bytes in the current chunk. */
  get size(): number {
    return this.offset - this.chunkStart;
  }

  /** Appends a string as UTF-8. */
  text(text: string): void {
    // Three bytes per UTF-16 unit is the most UTF-8 can need.
    this.reserve(text.length * 3);
    this.offset += this.buffer.write(text, this.offset, 'utf8');
  }

  /** Appends bytes prepared earlier with {@link encode}. */
  bytes(bytes: Uint8Array): void {
    const length = bytes.length;
    this.reserve(length);
    const buffer = this.buffer;
    let offset = this.offset;
    // Short runs: a loop beats the call overhead of TypedArray#set.
    if (length < 24) for (let i = 0; i < length; i++) buffer[offset++] = bytes[i]!;
    else {
      buffer.set(bytes, offset);
      offset += length;
    }
    this.offset = offset;
  }

  /** Appends again the bytes already written in [start, end). */
  repeat(start: number, end: number): void {
    const length = end - start;
    this.reserve(length);
    this.buffer.copyWithin(this.offset, start, end);
    this.offset += length;
  }

  /**
   * Appends a sample value as {@link formatValue} spells it. Counts are integers almost always:
   * their digits are written directly, sparing a string per sample.
   */
  number(value: number): void {
    if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER && Number.isInteger(value)) || Object.is(value, -0)) {
      this.text(formatValue(value));
      return;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.reserve(digits);
    const buffer = this.buffer;
    let position = this.offset + digits;
    this.offset = position;
    let rest = value;
    do {
      const next = Math.floor(rest / 10);
      buffer[--position] = ZERO + (rest - next * 10);
      rest = next;
    } while (rest > 0);
  }

  newline(): void {
    this.reserve(1);
    this.buffer[this.offset++] = NEWLINE;
  }

  /** The bytes written, as a Buffer sharing memory with the writer. */
  result(): Buffer {
    return this.buffer.subarray(this.chunkStart, this.offset);
  }

  /**
   * Hands out the current chunk (as {@link result}) and starts the next one after it in the same
   * memory: bytes handed out are never written over by this writer.
   */
  cut(): Buffer {
    const chunk = this.result();
    this.chunkStart = this.offset;
    return chunk;
  }

  private reserve(length: number): void {
    const needed = this.offset + length;
    if (needed <= this.buffer.length) return;
    // Only the current chunk is copied (chunks handed out keep the memory they were written
    // in), to the same offsets: writers remember offsets of bytes to repeat.
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, this.chunkStart, this.chunkStart, this.offset);
    this.buffer = grown;
    if (this.lent !== undefined) this.lent.memory = grown;
  }
}

/** Encodes a string as UTF-8 once, for repeated {@link ByteWriter.bytes} calls. */
export function encode(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
