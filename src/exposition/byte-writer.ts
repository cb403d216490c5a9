import { Buffer } from 'node:buffer';
import { formatValue } from './format-number.js';

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
  /** Bytes written so far; also where the next write goes. */
  offset = 0;

  /** `expectedSize` is a guess; a good one saves copying the buffer as it grows. */
  constructor(expectedSize = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(expectedSize, 1024));
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
    return this.buffer.subarray(0, this.offset);
  }

  private reserve(length: number): void {
    const needed = this.offset + length;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}

/** Encodes a string as UTF-8 once, for repeated {@link ByteWriter.bytes} calls. */
export function encode(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
