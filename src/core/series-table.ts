import { PromliteError } from '../errors.js';
import { closestName, compareLabelValues, type Labels } from './labels.js';
import type { MetricType } from './names.js';
import { toWellFormed } from './unicode.js';

/** Anything stored per label set; its `labelValues` are the full values, defaults included. */
export interface Series {
  readonly labelValues: readonly string[];
}

/** The stored state of one counter or gauge series: its label values and one number. */
export abstract class ScalarState implements Series {
  readonly labelValues: readonly string[];
  value = 0;
  /** The metric's full name, for error messages. */
  protected readonly metric: string;

  constructor(metric: string, labelValues: readonly string[]) {
    this.metric = metric;
    this.labelValues = labelValues;
  }
}

export interface SeriesTableOptions<S extends Series> {
  readonly metric: string;
  readonly type: MetricType;
  /** The declared label names, in order. */
  readonly labelNames: readonly string[];
  /** Values of the registry's default labels, appended to every series' label values. */
  readonly defaultLabelValues: readonly string[];
  readonly maxSeries: number;
  readonly maxLabelValueLength: number;
  readonly create: (labelValues: readonly string[]) => S;
}

// Nested maps, one level per label, keyed by the raw value: no key is ever built by joining
// values, so `{a:"1,b"}` and `{a:"1", b:""}` can never collide.
type Level = Map<string, unknown>;

/**
 * The series of one metric, found by label set. Lookups of existing series allocate nothing;
 * creating one validates the label set fully and respects the series and value-length limits.
 */
export class SeriesTable<S extends Series> {
  private readonly options: SeriesTableOptions<S>;
  private readonly labelNames: readonly string[];
  /** The last label's index (-1 without labels), kept: one load fewer per lookup. */
  private readonly lastLabel: number;
  private root: Level | S | undefined;
  private count = 0;
  private sortedCache: readonly S[] | undefined;

  constructor(options: SeriesTableOptions<S>) {
    this.options = options;
    // A private, unfrozen copy: V8 (Node 20) reads elements of frozen arrays several times slower.
    this.labelNames = [...options.labelNames];
    this.lastLabel = options.labelNames.length - 1;
    this.root = options.labelNames.length === 0 ? undefined : new Map();
  }

  /**
   * Returns the series for `labels`, creating it if allowed; `undefined` when the series or
   * label-length limit refused it (the caller counts the drop).
   * @throws PromliteError `INVALID_LABELS` when labels are missing, undeclared or not strings/numbers.
   */
  find(labels: Labels): S | undefined {
    const names = this.labelNames;
    const last = this.lastLabel;
    if (last < 0 || typeof labels !== 'object' || labels === null) return this.findSlow(labels);
    let level = this.root as Level;
    for (let i = 0; i < last; i++) {
      // Keys are strings, so a number, a missing label or a not-yet-seen value all miss here
      // and take the slow path, which converts or throws.
      const next = level.get(labels[names[i] as string] as string);
      if (next === undefined) return this.findSlow(labels);
      level = next as Level;
    }
    const series = level.get(labels[names[last] as string] as string) as S | undefined;
    if (series === undefined || countKeys(labels) !== names.length) return this.findSlow(labels);
    return series;
  }

  /** Deletes the series for `labels`; returns it, or `undefined` when there was none. */
  remove(labels: Labels): S | undefined {
    const values = this.toLabelValues(labels);
    if (values.length === 0) return undefined;
    const path: Level[] = [];
    let level = this.root as Level;
    for (let i = 0; i < values.length - 1; i++) {
      path.push(level);
      const next = level.get(values[i] as string);
      if (next === undefined) return undefined;
      level = next as Level;
    }
    const series = level.get(values[values.length - 1] as string) as S | undefined;
    if (series === undefined) return undefined;
    level.delete(values[values.length - 1] as string);
    // Prune levels left empty, so removed label values do not keep memory.
    for (let i = path.length - 1; i >= 0 && level.size === 0; i--) {
      const parent = path[i] as Level;
      parent.delete(values[i] as string);
      level = parent;
    }
    this.count--;
    this.sortedCache = undefined;
    return series;
  }

  /** Deletes every series. */
  clear(): void {
    this.root = this.labelNames.length === 0 ? undefined : new Map();
    this.count = 0;
    this.sortedCache = undefined;
  }

  /** All series, ordered by label values. The array is shared until the next change: do not mutate. */
  sorted(): readonly S[] {
    // Sorting is paid once per change of the series set, not once per scrape. The series are
    // found by walking the maps: a second list of them would cost 8 bytes a series.
    if (this.sortedCache === undefined) {
      const all: S[] = [];
      collectLeaves(this.root, this.labelNames.length, all);
      this.sortedCache = all.sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
    }
    return this.sortedCache;
  }

  /**
   * Checks `labels` against the declared names and returns their values in declared order,
   * as well-formed strings (lone UTF-16 surrogates become U+FFFD, as UTF-8 output would make them).
   * @throws PromliteError `INVALID_LABELS`
   */
  toLabelValues(labels: Labels): string[] {
    const { metric, type } = this.options;
    const names = this.labelNames;
    if (typeof labels !== 'object' || labels === null) {
      throw new PromliteError(
        'INVALID_LABELS',
        `${type} "${metric}": labels must be an object, got ${describe(labels)}`,
      );
    }
    // Sized up front: an array grown by push() keeps spare capacity, which every series would carry.
    const values = new Array<string>(names.length);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value: unknown = labels[name];
      if (value === undefined) {
        // A missing label next to an undeclared one is most often a typo: name the typo.
        this.assertDeclared(labels);
        throw new PromliteError(
          'INVALID_LABELS',
          `${type} "${metric}": label "${name}" is missing (declared: ${names.join(', ')})`,
        );
      }
      if (typeof value === 'string') values[i] = toWellFormed(value);
      else if (typeof value === 'number') values[i] = String(value);
      else {
        throw new PromliteError(
          'INVALID_LABELS',
          `${type} "${metric}": label "${name}" must be a string or number, got ${describe(value)}`,
        );
      }
    }
    this.assertDeclared(labels);
    return values;
  }

  /** @throws PromliteError `INVALID_LABELS` for the first label of `labels` that was not declared. */
  private assertDeclared(labels: Labels): void {
    const { metric, type } = this.options;
    const names = this.labelNames;
    for (const name in labels) {
      if (!names.includes(name)) {
        const declared = names.length === 0 ? 'none' : names.join(', ');
        const guess = closestName(
          name,
          names.filter((declaredName) => !(declaredName in labels)),
        );
        throw new PromliteError(
          'INVALID_LABELS',
          `${type} "${metric}": label "${name}" is not declared (declared: ${declared})${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
        );
      }
    }
  }

  private findSlow(labels: Labels): S | undefined {
    const values = this.toLabelValues(labels);
    if (values.length === 0) {
      this.root ??= this.add(values);
      return this.root as S;
    }
    const existing = this.lookup(values);
    if (existing !== undefined) return existing;
    const { maxSeries, maxLabelValueLength } = this.options;
    if (this.count >= maxSeries || values.some((value) => value.length > maxLabelValueLength)) return undefined;
    let level = this.root as Level;
    for (let i = 0; i < values.length - 1; i++) {
      const key = values[i] as string;
      let next = level.get(key) as Level | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const series = this.add(values);
    level.set(values[values.length - 1] as string, series);
    return series;
  }

  private lookup(values: readonly string[]): S | undefined {
    let node: unknown = this.root;
    for (const value of values) {
      node = (node as Level).get(value);
      if (node === undefined) return undefined;
    }
    return node as S;
  }

  private add(values: readonly string[]): S {
    // Frozen: snapshots hand these very arrays out, and they identify the series.
    const defaults = this.options.defaultLabelValues;
    const series = this.options.create(Object.freeze(defaults.length === 0 ? values : values.concat(defaults)));
    this.count++;
    this.sortedCache = undefined;
    return series;
  }
}

/** Appends every series below `node`, `depth` levels of maps deep. */
function collectLeaves<S>(node: unknown, depth: number, into: S[]): void {
  if (node === undefined) return;
  if (depth === 0) {
    into.push(node as S);
    return;
  }
  for (const child of (node as Level).values()) collectLeaves(child, depth - 1, into);
}

function countKeys(labels: object): number {
  let count = 0;
  for (const _ in labels) count++;
  return count;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
