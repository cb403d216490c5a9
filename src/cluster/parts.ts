// A snapshot sent in parts of a bounded number of series, each once the receiving side has the
// one before: it parses (JSON over cluster IPC) or deserializes (worker threads) one part per
// message, one at a time, so no message nor burst of them stalls its event loop, however large
// the snapshot.
import { compareLabelValues } from '../core/labels.js';
import { columnsOf } from '../core/make-columns.js';
import { ColumnFamily, type Columns, headOf, type SeriesExtras, strideOf } from '../core/series-columns.js';
import type { FamilySnapshot, RegistrySnapshot } from '../core/snapshot.js';
import type { Peer } from './peer.js';
import { RowInterner } from './row-interner.js';
import { decodeSnapshot, encodeSnapshot } from './wire.js';

/** Series per message: about 40 KB of JSON for histograms with a dozen buckets. */
export const SERIES_PER_PART = 500;

/**
 * The families of `snapshot` in parts of at most `SERIES_PER_PART` series; a large family spans
 * parts. Parts are slices of the families' columns (views of their numbers), not series objects.
 */
export function splitSnapshot(snapshot: RegistrySnapshot): FamilySnapshot[][] {
  const parts: FamilySnapshot[][] = [[]];
  let room = SERIES_PER_PART;
  for (const family of snapshot.families) {
    const columns = columnsOf(family);
    const head = headOf(family);
    const stride = strideOf(head);
    const length = columns.rows.length;
    let start = 0;
    do {
      const take = Math.min(room, length - start);
      const end = start + take;
      (parts.at(-1) as FamilySnapshot[]).push(
        ColumnFamily.of(head, {
          rows: columns.rows.slice(start, end),
          values: columns.values.subarray(start * stride, end * stride),
          extras: columns.extras?.slice(start, end),
        }),
      );
      start = end;
      room -= take;
      if (room === 0) {
        parts.push([]);
        room = SERIES_PER_PART;
      }
    } while (start < length);
  }
  return parts.filter((part, index) => part.length > 0 || index === 0);
}

/** How long a sender waits for a part's acknowledgement before it gives the snapshot up. */
const ACK_TIMEOUT_MS = 2000;

/**
 * The acknowledgements a sender waits for: each part goes once the one before it has arrived,
 * so that the receiving side never has more than one part per sender waiting to be read. A burst
 * of parts would be read, parsed and checked in one turn of its event loop, however many.
 */
export class PartAcks {
  private readonly waiting = new Map<number, { readonly part: number; readonly settle: (arrived: boolean) => void }>();

  /** Resolves `true` once part `part` of snapshot `id` arrived, `false` after a timeout or {@link PartAcks.clear}. */
  wait(id: number, part: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(false), ACK_TIMEOUT_MS);
      timer.unref();
      const settle = (arrived: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(arrived);
      };
      this.waiting.set(id, { part, settle });
    });
  }

  /** Takes an acknowledgement; one of no part waited for is ignored. */
  acknowledge(message: { readonly id: unknown; readonly part: unknown }): void {
    const entry = this.waiting.get(message.id as number);
    if (entry !== undefined && entry.part === message.part) entry.settle(true);
  }

  /** Gives up every wait (the channel is gone). */
  clear(): void {
    for (const { settle } of [...this.waiting.values()]) settle(false);
  }
}

/**
 * Sends a snapshot as `type` messages in parts, each once the one before it was acknowledged.
 * Resolves once sent (or given up: the channel closed, or an acknowledgement did not come).
 * Never rejects.
 */
export async function sendSnapshot(
  peer: Peer,
  acks: PartAcks,
  type: 'snapshot' | 'aggregate',
  id: number,
  snapshot: RegistrySnapshot,
): Promise<void> {
  try {
    const parts = splitSnapshot(snapshot);
    for (const [index, families] of parts.entries()) {
      const arrived = index + 1 < parts.length ? acks.wait(id, index) : undefined;
      const part = encodeSnapshot({ families });
      if (!peer.send({ type, id, part: index, parts: parts.length, snapshot: part })) {
        acks.clear();
        return;
      }
      if (arrived !== undefined && !(await arrived)) return;
    }
  } catch {
    // Nothing the aggregating side needs: a missing part is a timeout there.
  }
}

/** One message of a snapshot in parts, as it arrives. */
export interface SnapshotPart {
  readonly id: number;
  readonly part?: unknown;
  readonly parts?: unknown;
  readonly snapshot?: unknown;
}

/** Snapshots being put together at once per channel, at most: an older unfinished one is dropped. */
const MAX_ASSEMBLING = 4;

/** A family being received: its first part, and the columns of every part so far. */
interface Pending {
  readonly family: FamilySnapshot;
  readonly parts: Columns[];
}

/**
 * Puts snapshots back together from their parts, which arrive in order for each snapshot (parts
 * of several may interleave). Memory stays bounded: at most a few unfinished ones are kept.
 */
export class SnapshotAssembler {
  private readonly assembling = new Map<number, { families: Pending[]; next: number; rows: RowInterner }>();

  /**
   * Takes one part: returns the whole snapshot (its families as columns) once its last part came,
   * `undefined` while parts are missing, or `'invalid'` when a part is not one (that snapshot is
   * then dropped). Label rows equal to `previous`'s are taken from it. Never throws.
   */
  add(message: SnapshotPart, previous?: RegistrySnapshot): RegistrySnapshot | 'invalid' | undefined {
    const { id, part, parts } = message;
    let state = this.assembling.get(id);
    if (state === undefined) {
      state = { families: [], next: 0, rows: new RowInterner(previous) };
      this.assembling.set(id, state);
      for (const older of this.assembling.keys()) {
        if (this.assembling.size <= MAX_ASSEMBLING) break;
        this.assembling.delete(older);
      }
    }
    const decoded = decodeSnapshot(message.snapshot, state.rows);
    if (
      decoded === undefined ||
      part !== state.next ||
      typeof parts !== 'number' ||
      part >= parts ||
      !append(state.families, decoded)
    ) {
      this.assembling.delete(id);
      return 'invalid';
    }
    state.next++;
    if (state.next < parts) return undefined;
    this.assembling.delete(id);
    return { families: state.families.map(joined) };
  }
}

/** Appends a part's families, continuing a family split across parts; `false` when out of order. */
function append(families: Pending[], part: RegistrySnapshot): boolean {
  for (const family of part.families) {
    const columns = (family as unknown as ColumnFamily).columns;
    const previous = families.at(-1);
    if (previous?.family.name === family.name && previous.family.type === family.type) {
      const last = (previous.parts.at(-1) as Columns).rows.at(-1);
      const first = columns.rows[0];
      if (last !== undefined && first !== undefined && compareLabelValues(last, first) >= 0) return false;
      previous.parts.push(columns);
    } else if (previous !== undefined && !(previous.family.name < family.name)) return false;
    else families.push({ family, parts: [columns] });
  }
  return true;
}

/** One family of columns from its parts' columns. */
function joined({ family, parts }: Pending): FamilySnapshot {
  if (parts.length === 1) return family;
  // Plain loops: flatMap costs hundreds of nanoseconds per element here.
  const rows: (readonly string[])[] = [];
  let length = 0;
  for (const columns of parts) {
    for (const row of columns.rows) rows.push(row);
    length += columns.values.length;
  }
  const values = new Float64Array(length);
  let at = 0;
  for (const columns of parts) {
    values.set(columns.values, at);
    at += columns.values.length;
  }
  let extras: (SeriesExtras | undefined)[] | undefined;
  if (parts.some((columns) => columns.extras !== undefined)) {
    extras = [];
    for (const columns of parts) {
      for (let i = 0; i < columns.rows.length; i++) extras.push(columns.extras?.[i]);
    }
  }
  return ColumnFamily.of(headOf(family), { rows, values, extras });
}
