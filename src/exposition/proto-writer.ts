import { Buffer } from 'node:buffer';

// Protocol buffers wire types (https://protobuf.dev/programming-guides/encoding/).
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/**
 * Appends protocol-buffers fields to a growing buffer: varints, zigzag integers, doubles,
 * strings and nested messages, whose length is patched in when they end. Numbers are JS
 * numbers: integers up to 2^53 are written exactly. Internal to the protobuf renderer.
 */
export class ProtoWriter {
  private buffer: Buffer;
  /** Bytes written so far; also where the next write goes. */
  offset = 0;

  constructor(expectedSize = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(expectedSize, 256));
  }

  /** A varint field (uint32, uint64, int64 ≥ 0, enum). */
  uint(field: number, value: number): void {
    this.reserve(20);
    this.rawVarint((field << 3) | VARINT);
    this.rawVarint(value);
  }

  /** A zigzag-encoded varint field (sint32, sint64). */
  sint(field: number, value: number): void {
    this.uint(field, zigzag(value));
  }

  /** A double field, little-endian. */
  double(field: number, value: number): void {
    this.reserve(18);
    this.rawVarint((field << 3) | FIXED64);
    this.buffer.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }

  /** A string field, as UTF-8. */
  string(field: number, text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    this.reserve(length + 20);
    this.rawVarint((field << 3) | LENGTH_DELIMITED);
    this.rawVarint(length);
    this.offset += this.buffer.write(text, this.offset, length, 'utf8');
  }

  /**
   * Opens a length-delimited field (a nested message, a packed repeated field); returns the
   * mark to give {@link end}. With `field` undefined, only the length is written (the
   * varint-delimited framing of a whole message in a stream).
   */
  begin(field: number | undefined): number {
    this.reserve(16);
    if (field !== undefined) this.rawVarint((field << 3) | LENGTH_DELIMITED);
    // One byte is kept for the length; most messages are shorter than 128 bytes.
    this.offset++;
    return this.offset;
  }

  /** Closes what {@link begin} opened, writing its length before it. */
  end(mark: number): void {
    const length = this.offset - mark;
    const size = varintSize(length);
    if (size > 1) {
      // A longer length needs more room: the content moves up (rare, and at most 9 bytes).
      this.reserve(size - 1);
      this.buffer.copyWithin(mark + size - 1, mark, this.offset);
      this.offset += size - 1;
    }
    const end = this.offset;
    this.offset = mark - 1;
    this.rawVarint(length);
    this.offset = end;
  }

  /** A bare varint inside a packed field. */
  packedUint(value: number): void {
    this.reserve(10);
    this.rawVarint(value);
  }

  /** A bare zigzag varint inside a packed field. */
  packedSint(value: number): void {
    this.packedUint(zigzag(value));
  }

  /** The bytes written, as a buffer of exactly that length (a view, not a copy). */
  result(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  private rawVarint(value: number): void {
    const buffer = this.buffer;
    let v = value;
    // Beyond 2^31 bit operators would truncate: divide instead.
    while (v >= 0x80) {
      buffer[this.offset++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buffer[this.offset++] = v;
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}

/** Zigzag: 0, −1, 1, −2… → 0, 1, 2, 3…, so that small negative numbers stay short. */
function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
}
