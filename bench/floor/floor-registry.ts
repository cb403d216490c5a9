// The plain-JavaScript floor: the cheapest code that does the same work as promlite for the
// floor benchmark's workload (two-label counters and 11-bucket histograms, text 0.0.4 out),
// with no validation, no limits and no options. Not a library: it knows its two label names.

/** The default buckets, as promlite and prom-client have them, and their `le` label text. */
const UPPER_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LE_TEXT = [...UPPER_BOUNDS.map(String), '+Inf'];

interface Labels {
  readonly service: string;
  readonly route: string;
}

// Classes, not object literals: every series gets one hidden class from its first allocation.
class CounterSeries {
  readonly service: string;
  readonly route: string;
  value = 0;

  constructor(labels: Labels) {
    this.service = labels.service;
    this.route = labels.route;
  }
}

class HistogramSeries {
  readonly service: string;
  readonly route: string;
  /** Per bucket, not cumulative; the last is +Inf. A packed array of small integers. */
  readonly counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  sum = 0.5 - 0.5; // a double field from the start, so that no series changes shape when it grows one
  count = 0;

  constructor(labels: Labels) {
    this.service = labels.service;
    this.route = labels.route;
  }
}

/** Escapes a label value only when it needs it: the common case is one regex test. */
const escapeValue = (value: string) =>
  /[\\"\n]/.test(value) ? value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n') : value;

/** Series kept in two nested maps (service, then route), and in a list sorted once per change. */
class SeriesMap<S extends { readonly service: string; readonly route: string }> {
  private readonly byService = new Map<string, Map<string, S>>();
  private list: S[] = [];
  private sorted = true;

  private readonly create: (labels: Labels) => S;

  constructor(create: (labels: Labels) => S) {
    this.create = create;
  }

  get(labels: Labels): S {
    let byRoute = this.byService.get(labels.service);
    if (byRoute === undefined) {
      byRoute = new Map();
      this.byService.set(labels.service, byRoute);
    }
    let series = byRoute.get(labels.route);
    if (series === undefined) {
      series = this.create(labels);
      byRoute.set(labels.route, series);
      this.list.push(series);
      this.sorted = false;
    }
    return series;
  }

  inOrder(): readonly S[] {
    if (!this.sorted) {
      this.list = this.list.sort((a, b) =>
        a.service !== b.service ? (a.service < b.service ? -1 : 1) : a.route < b.route ? -1 : a.route > b.route ? 1 : 0,
      );
      this.sorted = true;
    }
    return this.list;
  }
}

export class FloorCounter {
  readonly series = new SeriesMap((labels) => new CounterSeries(labels));
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  inc(labels: Labels, value = 1): void {
    this.series.get(labels).value += value;
  }
}

function observeSeries(series: HistogramSeries, value: number): void {
  let i = 0;
  while (i < UPPER_BOUNDS.length && value > (UPPER_BOUNDS[i] as number)) i++;
  (series.counts[i] as number)++;
  series.sum += value;
  series.count++;
}

export class FloorHistogramChild {
  private readonly series: HistogramSeries;

  constructor(series: HistogramSeries) {
    this.series = series;
  }

  observe(value: number): void {
    observeSeries(this.series, value);
  }
}

export class FloorHistogram {
  readonly series = new SeriesMap((labels) => new HistogramSeries(labels));
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  observe(labels: Labels, value: number): void {
    observeSeries(this.series.get(labels), value);
  }

  labels(labels: Labels): FloorHistogramChild {
    return new FloorHistogramChild(this.series.get(labels));
  }
}

/**
 * Memory kept from one render to the next, as promlite's handler keeps its render buffer: the
 * cheapest plain JavaScript does not pay for fresh memory on every scrape either.
 */
export class FloorBuffer {
  memory = Buffer.allocUnsafe(1 << 20);
  used = 0;

  /** Appends `text` as UTF-8, growing the memory when it would not fit. */
  append(text: string): void {
    const most = text.length * 3;
    if (this.used + most > this.memory.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.memory.length * 2, this.used + most));
      this.memory.copy(grown, 0, 0, this.used);
      this.memory = grown;
    }
    this.used += this.memory.write(text, this.used, 'utf8');
  }
}

/**
 * Text 0.0.4 of a histogram and a counter family (in that order: by name, as promlite sorts
 * them), written in pieces of about 64 KiB into `buffer`'s memory; returns the bytes written.
 */
export function renderFloor(histogram: FloorHistogram, counter: FloorCounter, buffer: FloorBuffer): Buffer {
  buffer.used = 0;
  const { name } = histogram;
  let text = `# HELP ${name} Latency.\n# TYPE ${name} histogram\n`;
  for (const series of histogram.series.inOrder()) {
    const labels = `service="${escapeValue(series.service)}",route="${escapeValue(series.route)}"`;
    let cumulative = 0;
    for (let i = 0; i < LE_TEXT.length; i++) {
      cumulative += series.counts[i] as number;
      text += `${name}_bucket{${labels},le="${LE_TEXT[i]}"} ${cumulative}\n`;
    }
    text += `${name}_sum{${labels}} ${series.sum}\n${name}_count{${labels}} ${series.count}\n`;
    if (text.length > 65_536) {
      buffer.append(text);
      text = '';
    }
  }
  text += `# HELP ${counter.name} Requests.\n# TYPE ${counter.name} counter\n`;
  for (const series of counter.series.inOrder()) {
    text += `${counter.name}{service="${escapeValue(series.service)}",route="${escapeValue(series.route)}"} ${series.value}\n`;
    if (text.length > 65_536) {
      buffer.append(text);
      text = '';
    }
  }
  buffer.append(text);
  return buffer.memory.subarray(0, buffer.used);
}
