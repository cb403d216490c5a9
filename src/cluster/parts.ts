// A snapshot sent in parts of a bounded number of series, with a turn of the event loop between
// parts: the receiving side parses (JSON over cluster IPC) or deserializes (worker threads) one
// part per message, so no single message stalls its event loop, however large the snapshot.
import { setImmediate } from 'node:timers';
import { compareLabelValues } from '../core/labels.js';
import type { FamilySnapshot, RegistrySnapshot } from '../core/snapshot.js';
import type { Peer } from './peer.js';
import { decodeSnapshot, encodeSnapshot } from './wire.js';

/** Series per message: about 50 KB of JSON for histograms with a dozen buckets. */
export const SERIES_PER_PART = 500;

/** The families of `snapshot` in parts of at most `SERIES_PER_PART` series; a large family spans parts. */
export function splitSnapshot(snapshot: RegistrySnapshot): FamilySnapshot[][] {
  const parts: FamilySnapshot[][] = [[]];
  let room = SERIES_PER_PART;
  for (const family of snapshot.families) {
    let start = 0;
    do {
      const take = Math.min(room, family.series.length - start);
      (parts.at(-1) as FamilySnapshot[]).push({
        ...family,
        series: family.series.slice(start, start + take),
      } as FamilySnapshot);
      start += take;
      room -= take;
      if (room === 0) {
        parts.push([]);
        room = SERIES_PER_PART;
      }
    } while (start < family.series.length);
  }
  return parts.filter((part, index) => part.length > 0 || index === 0);
}

/**
 * Sends a snapshot as `type` messages in parts, letting the event loop run between them.
 * Resolves once sent (or the channel closed). Never rejects.
 */
export async function sendSnapshot(
  peer: Peer,
  type: 'snapshot' | 'aggregate',
  id: number,
  snapshot: RegistrySnapshot,
): Promise<void> {
  try {
    const parts = splitSnapshot(snapshot);
    for (const [index, families] of parts.entries()) {
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      const part = encodeSnapshot({ families });
      if (!peer.send({ type, id, part: index, parts: parts.length, snapshot: part })) return;
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

/**
 * Puts snapshots back together from their parts, which arrive in order for each snapshot (parts
 * of several may interleave). Memory stays bounded: at most a few unfinished ones are kept.
 */
export class SnapshotAssembler {
  private readonly assembling = new Map<number, { families: FamilySnapshot[]; next: number }>();

  /**
   * Takes one part: returns the whole snapshot once its last part came, `undefined` while parts
   * are missing, or `'invalid'` when a part is not one (that snapshot is then dropped). Never throws.
   */
  add(message: SnapshotPart): RegistrySnapshot | 'invalid' | undefined {
    const { id, part, parts } = message;
    let state = this.assembling.get(id);
    if (state === undefined) {
      state = { families: [], next: 0 };
      this.assembling.set(id, state);
      for (const older of this.assembling.keys()) {
        if (this.assembling.size <= MAX_ASSEMBLING) break;
        this.assembling.delete(older);
      }
    }
    const decoded = decodeSnapshot(message.snapshot);
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
    return { families: state.families };
  }
}

/** Appends a part's families, joining a family split across parts; `false` when out of order. */
function append(families: FamilySnapshot[], part: RegistrySnapshot): boolean {
  for (const family of part.families) {
    const previous = families.at(-1);
    if (previous?.name === family.name && previous.type === family.type) {
      const last = previous.series.at(-1);
      const first = family.series[0];
      if (last !== undefined && first !== undefined && compareLabelValues(last.labelValues, first.labelValues) >= 0)
        return false;
      for (const series of family.series) (previous.series as unknown[]).push(series);
    } else if (previous !== undefined && !(previous.name < family.name)) return false;
    else families.push({ ...family, series: [...family.series] } as FamilySnapshot);
  }
  return true;
}
