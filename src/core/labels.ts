/** A label set as callers pass it: label name → value. Numbers are turned into strings. */
export type Labels<L extends string = string> = Readonly<Record<L, string | number>>;

/**
 * Orders series by their label values, one label at a time, by UTF-16 code units: the stable
 * order `snapshot()` promises, whatever the order of registration and updates.
 */
export function compareLabelValues(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
