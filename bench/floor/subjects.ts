// The three things the floor benchmark measures, behind one shape: the plain-JavaScript floor,
// promlite and prom-client, each doing the same work on the same workload.
import promClient from 'prom-client';
import { Registry, RenderBuffer, renderChunks } from '../../src/index.js';
import { fillPeer, fillPromlite } from '../registries.js';
import { FloorBuffer, FloorCounter, FloorHistogram, renderFloor } from './floor-registry.js';

export interface Labels {
  readonly service: string;
  readonly route: string;
}

/** What each subject provides; every loop runs `n` updates. */
export interface Subject {
  counterLabels(labelSets: readonly Labels[]): (n: number) => void;
  histogramLabels(labelSets: readonly Labels[], value: (i: number) => number): (n: number) => void;
  histogramChild(labels: Labels, value: (i: number) => number): (n: number) => void;
  /** The workload with `series` series (half counters, half histograms); returns a scrape: snapshot + render to bytes. */
  fill(series: number): { scrape: () => unknown; kept: unknown };
}

// The loops are written out in each subject on purpose: closures from one function literal share
// the JIT's feedback, which would make every subject's call sites polymorphic.
const floor: Subject = {
  counterLabels(labelSets) {
    const counter = new FloorCounter('labeled_total');
    return (n) => {
      for (let i = 0; i < n; i++) counter.inc(labelSets[i & 15] as Labels);
    };
  },
  histogramLabels(labelSets, value) {
    const histogram = new FloorHistogram('labeled_seconds');
    return (n) => {
      for (let i = 0; i < n; i++) histogram.observe(labelSets[i & 15] as Labels, value(i));
    };
  },
  histogramChild(labels, value) {
    const child = new FloorHistogram('child_seconds').labels(labels);
    return (n) => {
      for (let i = 0; i < n; i++) child.observe(value(i));
    };
  },
  fill(series) {
    const counter = new FloorCounter('requests_total');
    const histogram = new FloorHistogram('request_duration_seconds');
    for (let i = 0; i < series / 2; i++) {
      const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
      counter.inc(labels, i);
      histogram.observe(labels, (i % 100) * 0.01);
    }
    const buffer = new FloorBuffer();
    return { scrape: () => renderFloor(histogram, counter, buffer), kept: [counter, histogram] };
  },
};

const promlite: Subject = {
  counterLabels(labelSets) {
    const counter = new Registry().counter({ name: 'labeled_total', help: 'h', labelNames: ['service', 'route'] });
    return (n) => {
      for (let i = 0; i < n; i++) counter.inc(labelSets[i & 15] as Labels);
    };
  },
  histogramLabels(labelSets, value) {
    const histogram = new Registry().histogram({
      name: 'labeled_seconds',
      help: 'h',
      labelNames: ['service', 'route'],
    });
    return (n) => {
      for (let i = 0; i < n; i++) histogram.observe(labelSets[i & 15] as Labels, value(i));
    };
  },
  histogramChild(labels, value) {
    const histogram = new Registry().histogram({ name: 'child_seconds', help: 'h', labelNames: ['service', 'route'] });
    const child = histogram.labels(labels);
    return (n) => {
      for (let i = 0; i < n; i++) child.observe(value(i));
    };
  },
  fill(series) {
    const registry = fillPromlite(series);
    // One chunk of unbounded size: the bytes HTTP sends, written into memory kept from one
    // scrape to the next, as metricsHandler keeps it.
    const buffer = new RenderBuffer();
    return {
      scrape: () => renderChunks(registry.snapshot(), Number.POSITIVE_INFINITY, buffer).next(),
      kept: registry,
    };
  },
};

const promClientSubject: Subject = {
  counterLabels(labelSets) {
    const registers = [new promClient.Registry()];
    const counter = new promClient.Counter({
      name: 'labeled_total',
      help: 'h',
      labelNames: ['service', 'route'],
      registers,
    });
    return (n) => {
      for (let i = 0; i < n; i++) counter.inc(labelSets[i & 15] as Labels);
    };
  },
  histogramLabels(labelSets, value) {
    const registers = [new promClient.Registry()];
    const histogram = new promClient.Histogram({
      name: 'labeled_seconds',
      help: 'h',
      labelNames: ['service', 'route'],
      registers,
    });
    return (n) => {
      for (let i = 0; i < n; i++) histogram.observe(labelSets[i & 15] as Labels, value(i));
    };
  },
  histogramChild(labels, value) {
    const registers = [new promClient.Registry()];
    const histogram = new promClient.Histogram({
      name: 'child_seconds',
      help: 'h',
      labelNames: ['service', 'route'],
      registers,
    });
    const child = histogram.labels(labels);
    return (n) => {
      for (let i = 0; i < n; i++) child.observe(value(i));
    };
  },
  fill(series) {
    const registry = fillPeer(promClient, series);
    // prom-client renders a string; the bytes HTTP sends are its UTF-8.
    return { scrape: async () => Buffer.from(await registry.metrics()), kept: registry };
  },
};

export const SUBJECTS: Readonly<Record<string, Subject>> = { floor, promlite, 'prom-client': promClientSubject };
