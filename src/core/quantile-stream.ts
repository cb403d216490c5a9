// Targeted quantiles over a stream in bounded space: the CKMS algorithm (Cormode, Korn,
// Muthukrishnan, Srivastava, "Effective computation of biased quantiles over data streams",
// ICDE 2005), as the Go client's summaries use it through beorn7/perks.

/** A quantile to answer and the rank error allowed for it, both in (0, 1). */
export interface QuantileTarget {
  readonly quantile: number;
  readonly error: number;
}

/**
 * The rank error allowed for a quantile when none is given: a tenth of its distance to the
 * nearer end (0.5 → 0.05, 0.9 → 0.01, 0.99 → 0.001, as the Go client's default objectives).
 */
export function defaultRankError(quantile: number): number {
  return Math.min(quantile, 1 - quantile) / 10;
}

/**
 * A stream of observations answering its target quantiles: for a target (q, e) over n
 * observations, the value returned has a rank r with |r − q·n| ≤ e·n + 1. Values come in
 * sorted batches; after each, neighbours are merged as far as their ranks allow, so the kept
 * list stays small (about a hundred entries for the default targets, growing with log n).
 * Kept entries live in three parallel typed arrays: no object per observation.
 */
export class QuantileStream {
  /** The target quantiles, ascending. */
  private readonly quantiles: Float64Array;
  /**
   * f(r, n) is the least over the targets of 2e·r/q (targets with q·n ≤ r) and 2e·(n − r)/(1 − q)
   * (the others). With the targets ascending, the first set is a prefix, so f needs only the
   * least slope of each prefix and of each suffix: `belowPrefix[i]` = least 2e/q of targets
   * [0, i), `aboveSuffix[i]` = least 2e/(1 − q) of targets [i, end).
   */
  private readonly belowPrefix: Float64Array;
  private readonly aboveSuffix: Float64Array;
  /** Kept value i, how many observations it stands for (g), and its rank uncertainty (Δ). */
  private values = new Float64Array(16);
  private widths = new Float64Array(16);
  private deltas = new Float64Array(16);
  private length = 0;
  private n = 0;

  /** `targets` must be ascending by quantile. */
  constructor(targets: readonly QuantileTarget[]) {
    const count = targets.length;
    this.quantiles = Float64Array.from(targets, (target) => target.quantile);
    this.belowPrefix = new Float64Array(count + 1).fill(Number.POSITIVE_INFINITY);
    this.aboveSuffix = new Float64Array(count + 1).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < count; i++) {
      const { quantile, error } = targets[i] as QuantileTarget;
      this.belowPrefix[i + 1] = Math.min(this.belowPrefix[i] as number, (2 * error) / quantile);
    }
    for (let i = count - 1; i >= 0; i--) {
      const { quantile, error } = targets[i] as QuantileTarget;
      this.aboveSuffix[i] = Math.min(this.aboveSuffix[i + 1] as number, (2 * error) / (1 - quantile));
    }
  }

  /** Observations added so far. */
  get count(): number {
    return this.n;
  }

  /** Values kept to answer queries: what the stream's memory grows with. */
  get size(): number {
    return this.length;
  }

  /** Adds `count` observations from `sorted`, which must be ascending (NaN excluded). */
  insertSorted(sorted: ArrayLike<number>, count = sorted.length): void {
    const oldValues = this.values;
    const oldWidths = this.widths;
    const oldDeltas = this.deltas;
    const oldLength = this.length;
    const capacity = oldLength + count;
    const values = new Float64Array(capacity);
    const widths = new Float64Array(capacity);
    const deltas = new Float64Array(capacity);
    let out = 0;
    let k = 0;
    let rank = 0;
    for (let j = 0; j < count; j++) {
      const value = sorted[j] as number;
      while (k < oldLength && (oldValues[k] as number) <= value) {
        values[out] = oldValues[k] as number;
        widths[out] = oldWidths[k] as number;
        deltas[out++] = oldDeltas[k] as number;
        rank += oldWidths[k++] as number;
      }
      values[out] = value;
      widths[out] = 1;
      // A new minimum or maximum is known exactly; elsewhere its rank is as uncertain as allowed.
      deltas[out++] = k === 0 || k === oldLength ? 0 : Math.max(0, Math.floor(this.allowedError(rank)) - 1);
      this.n++;
      rank++;
    }
    if (k < oldLength) {
      values.set(oldValues.subarray(k, oldLength), out);
      widths.set(oldWidths.subarray(k, oldLength), out);
      deltas.set(oldDeltas.subarray(k, oldLength), out);
      out += oldLength - k;
    }
    this.values = values;
    this.widths = widths;
    this.deltas = deltas;
    this.length = out;
    this.compress();
  }

  /** The value at quantile `q` (one of the targets, for the error bound to hold); NaN when empty. */
  query(q: number): number {
    const { values, widths, deltas, length } = this;
    if (length === 0) return Number.NaN;
    // The paper's query: the first kept value whose greatest possible rank passes q·n plus half
    // the uncertainty allowed there; the answer is the one before it.
    const target = q * this.n + this.allowedError(q * this.n) / 2;
    let rank = 0;
    for (let i = 1; i < length; i++) {
      rank += widths[i - 1] as number;
      if (rank + (widths[i] as number) + (deltas[i] as number) > target) return values[i - 1] as number;
    }
    return values[length - 1] as number;
  }

  /** Forgets every observation. */
  reset(): void {
    this.length = 0;
    this.n = 0;
  }

  /** f(r, n) of the paper: the rank uncertainty allowed at rank r, the least over the targets. */
  private allowedError(rank: number): number {
    const { quantiles, n } = this;
    let below = 0;
    while (below < quantiles.length && (quantiles[below] as number) * n <= rank) below++;
    // An empty prefix or suffix allows anything; Infinity × 0 would be NaN, so it is said outright.
    const belowSlope = this.belowPrefix[below] as number;
    const aboveSlope = this.aboveSuffix[below] as number;
    const fromBelow = below === 0 ? Number.POSITIVE_INFINITY : belowSlope * rank;
    const fromAbove = below === quantiles.length ? Number.POSITIVE_INFINITY : aboveSlope * (n - rank);
    return Math.min(fromBelow, fromAbove);
  }

  /**
   * Merges neighbours, from the top down, whose combined uncertainty stays within what their rank
   * allows; the minimum is never merged away. Works in place, then moves the kept run to the front.
   */
  private compress(): void {
    const { values, widths, deltas, length } = this;
    if (length < 3) return;
    let at = length - 1;
    let rank = this.n - 1 - (widths[at] as number);
    for (let i = length - 2; i >= 1; i--) {
      const width = widths[i] as number;
      if (width + (widths[at] as number) + (deltas[at] as number) <= this.allowedError(rank)) {
        widths[at] = (widths[at] as number) + width;
      } else {
        at--;
        values[at] = values[i] as number;
        widths[at] = width;
        deltas[at] = deltas[i] as number;
      }
      rank -= width;
    }
    at--;
    values[at] = values[0] as number;
    widths[at] = widths[0] as number;
    deltas[at] = deltas[0] as number;
    this.length = length - at;
    values.copyWithin(0, at, length);
    widths.copyWithin(0, at, length);
    deltas.copyWithin(0, at, length);
  }
}
