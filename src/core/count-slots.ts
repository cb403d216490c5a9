// The classic-bucket counts and sums of one histogram family, many series to a page.

/** A series that owns a slot: its page and where its slot starts in it. Moved by compaction. */
export interface SlotOwner {
  page: number[];
  base: number;
}

/** The largest page, in slots; pages start at one slot and double, so small families stay small. */
const MAX_SLOTS_PER_PAGE = 64;

/**
 * Fixed-size slots of doubles (`stride` numbers each: a histogram series' per-bucket counts, then
 * its sum) in shared pages. One array per series would cost its own array header and elements
 * header (48 bytes on 64-bit V8) and a boxed sum (16 bytes): more than half of what the counts
 * themselves take. Slots are never handed out twice: a removed series' bound child may still be
 * recording into its old slot. When removed series leave more dead slots than live ones, the live
 * ones are copied to fresh pages, so churn cannot pin memory.
 */
export class CountSlots {
  private readonly stride: number;
  private page: number[] = [];
  private pageSlots = 0;
  private usedSlots = 0;
  private live = 0;
  private dead = 0;

  constructor(stride: number) {
    this.stride = stride;
  }

  /** Gives `owner` a slot of zeros. */
  claim(owner: SlotOwner): void {
    if (this.usedSlots === this.pageSlots) {
      this.pageSlots = Math.min(MAX_SLOTS_PER_PAGE, Math.max(1, this.pageSlots * 2));
      this.page = newPage(this.pageSlots * this.stride);
      this.usedSlots = 0;
    }
    owner.page = this.page;
    owner.base = this.usedSlots * this.stride;
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
    this.page = [];
    this.pageSlots = 0;
    this.usedSlots = 0;
    this.live = 0;
    this.dead = 0;
  }
}

function newPage(length: number): number[] {
  // Doubles from the start (filled with 0.5, then 0): every page has the same elements kind, so
  // the code that observes stays monomorphic, and a sum or a count past 2^30 never converts it.
  return new Array<number>(length).fill(0.5).fill(0);
}
