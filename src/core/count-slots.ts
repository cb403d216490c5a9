// The classic-bucket counts and sums of one histogram family, many series to a page.

/** A series that owns a slot: its page and where its slot starts in it. Moved by compaction. */
export interface SlotOwner {
  page: number[];
  base: number;
}

/** The largest page, in slots; pages start at one slot and double, so small families stay small. */
const MAX_SLOTS_PER_PAGE = 64;

/**
 * A histogram family's series' slots, in shared pages of doubles. One array per series would cost
 * its own array header and elements header (48 bytes on 64-bit V8) and a boxed sum (16 bytes):
 * more than half of what the counts themselves take.
 *
 * A page starts with the family's upper bounds and then `+Inf`, so that an observation finds its
 * bucket in the very array it counts in, and the `+Inf` ends the search with no length check.
 * Then come the slots: a slot is the sum, then the observations per bucket (not cumulative; the
 * last is `+Inf`'s). Slots are never handed out twice: a removed series' bound child may still be
 * recording into its old slot. When removed series leave more dead slots than live ones, the live
 * ones are copied to fresh pages, so churn cannot pin memory.
 */
export class CountSlots {
  /** The upper bounds, then `+Inf`: the start of every page. */
  private readonly header: readonly number[];
  /** Numbers per slot: the sum, then one count per bucket. */
  private readonly stride: number;
  private page: number[] = EMPTY_PAGE;
  private pageSlots = 0;
  private usedSlots = 0;
  private live = 0;
  private dead = 0;

  constructor(upperBounds: readonly number[]) {
    this.header = [...upperBounds, Number.POSITIVE_INFINITY];
    this.stride = 1 + this.header.length;
  }

  /** Gives `owner` a slot of zeros. */
  claim(owner: SlotOwner): void {
    if (this.usedSlots === this.pageSlots) {
      this.pageSlots = Math.min(MAX_SLOTS_PER_PAGE, Math.max(1, this.pageSlots * 2));
      this.page = newPage(this.header, this.pageSlots * this.stride);
      this.usedSlots = 0;
    }
    owner.page = this.page;
    owner.base = this.header.length + this.usedSlots * this.stride;
    this.usedSlots++;
    this.live++;
  }

  /** Counts one owner's slot as dead; returns whether the live owners should now be {@link compact}ed. */
  release(): boolean {
    this.live--;
    this.dead++;
    return this.dead > MAX_SLOTS_PER_PAGE && this.dead > this.live;
  }

  /** Copies the slots of `owners` (every live one) into fresh pages, and points them there. */
  compact(owners: readonly SlotOwner[]): void {
    this.clear();
    const stride = this.stride;
    for (const owner of owners) {
      const { page, base } = owner;
      this.claim(owner);
      for (let i = 0; i < stride; i++) owner.page[owner.base + i] = page[base + i] as number;
    }
  }

  /** Forgets every slot: the next claim starts a new page. */
  clear(): void {
    this.page = EMPTY_PAGE;
    this.pageSlots = 0;
    this.usedSlots = 0;
    this.live = 0;
    this.dead = 0;
  }
}

/**
 * A page of `header`, then `slotNumbers` zeros, as packed doubles: every page has the same
 * elements kind, so the code that observes stays monomorphic and needs no hole checks, and a sum
 * or a count past 2^30 never converts it (`new Array(length)` would make a holey array).
 */
function newPage(header: readonly number[], slotNumbers: number): number[] {
  const page = Array.from({ length: header.length + slotNumbers }, () => 0.5).fill(0);
  for (let i = 0; i < header.length; i++) page[i] = header[i] as number;
  return page;
}

/** The page of a series before it claims its slot, of the same elements kind as every page. */
export const EMPTY_PAGE: number[] = [0.5];
EMPTY_PAGE.length = 0;
