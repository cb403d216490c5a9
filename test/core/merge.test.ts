// mergeSnapshots: a pure function of snapshots. Properties (associative, order-independent, identity on
// one snapshot) over random registries, and the rules for gauges, histograms and disagreeing families.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GaugeMergePolicy,
  mergeSnapshots,
  PromliteError,
  Registry,
  type RegistrySnapshot,
  render,
} from '../../src/index.js';
import { promtoolCheckMetrics } from '../support/consumers.js';
import { thrown } from '../support/thrown.js';

/** One process's updates: small integers, so that sums are exact in any order. */
const updates = fc.array(
  fc.record({
    kind: fc.constantFrom('counter', 'gauge', 'histogram'),
    label: fc.constantFrom('a', 'b', 'c'),
    amount: fc.integer({ min: 0, max: 1000 }),
  }),
  { maxLength: 30 },
);

/** A registry with the same declarations in every process, filled with `updates`. */
function snapshotOf(recorded: readonly { kind: string; label: string; amount: number }[]): RegistrySnapshot {
  const registry = new Registry();
  const counter = registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] });
  const gauge = registry.gauge({ name: 'depth', help: 'Depth.', labelNames: ['queue'] });
  const histogram = registry.histogram({ name: 'size', help: 'Size.', labelNames: ['queue'], buckets: [10, 100] });
  for (const { kind, label, amount } of recorded) {
    if (kind === 'counter') counter.inc({ queue: label }, amount);
    else if (kind === 'gauge') gauge.set({ queue: label }, amount);
    else histogram.observe({ queue: label }, amount);
  }
  return registry.snapshot();
}

const policies: GaugeMergePolicy[] = ['sum', 'min', 'max'];

describe('mergeSnapshots, properties', () => {
  it('merging one snapshot returns an equal one', () => {
    fc.assert(
      fc.property(updates, (recorded) => {
        const snapshot = snapshotOf(recorded);
        expect(mergeSnapshots([snapshot])).toEqual(snapshot);
      }),
    );
  });

  it('is associative and does not depend on the order of the sources (sum, min, max)', () => {
    fc.assert(
      fc.property(updates, updates, updates, fc.constantFrom(...policies), (x, y, z, gauges) => {
        const [a, b, c] = [snapshotOf(x), snapshotOf(y), snapshotOf(z)];
        const all = mergeSnapshots([a, b, c], { gauges });
        expect(mergeSnapshots([mergeSnapshots([a, b], { gauges }), c], { gauges })).toEqual(all);
        expect(mergeSnapshots([a, mergeSnapshots([b, c], { gauges })], { gauges })).toEqual(all);
        expect(mergeSnapshots([c, a, b], { gauges })).toEqual(all);
      }),
    );
  });

  it('counts what one registry recording everything would count', () => {
    fc.assert(
      fc.property(updates, updates, (x, y) => {
        const merged = mergeSnapshots([snapshotOf(x), snapshotOf(y)]);
        const together = snapshotOf([...x, ...y]);
        const without = (snapshot: RegistrySnapshot) => snapshot.families.filter((family) => family.name !== 'depth');
        expect(without(merged)).toEqual(without(together));
      }),
    );
  });
});

describe('mergeSnapshots, rules', () => {
  it('applies each gauge policy, and a function of the family name picks one per family', () => {
    const a = new Registry();
    const b = new Registry();
    a.gauge({ name: 'g', help: 'G.' }).set(3);
    b.gauge({ name: 'g', help: 'G.' }).set(5);
    a.gauge({ name: 'h', help: 'H.' }).set(1);
    const value = (gauges: GaugeMergePolicy) => render(mergeSnapshots([a.snapshot(), b.snapshot()], { gauges }));
    expect(value('sum')).toContain('\ng 8\n');
    expect(value('min')).toContain('\ng 3\n');
    expect(value('max')).toContain('\ng 5\n');
    expect(value('first')).toContain('\ng 3\n');
    expect(value('omit')).not.toContain('# TYPE g');
    const perFamily = mergeSnapshots([a.snapshot(), b.snapshot()], {
      gauges: (name) => (name === 'g' ? 'omit' : 'max'),
    });
    const names = perFamily.families.map((family) => family.name);
    expect(names).toContain('h');
    expect(names).not.toContain('g');
  });

  it('keeps one series per source under perSource, labelled with the source names', () => {
    const a = new Registry();
    const b = new Registry();
    a.gauge({ name: 'depth', help: 'D.', labelNames: ['queue'] }).set({ queue: 'q' }, 3);
    b.gauge({ name: 'depth', help: 'D.', labelNames: ['queue'] }).set({ queue: 'q' }, 5);
    b.counter({ name: 'jobs_total', help: 'J.' }).inc(2);
    const merged = mergeSnapshots([a.snapshot(), b.snapshot()], {
      sources: ['web-1', 'web-2'],
      gauges: { perSource: 'worker' },
    });
    const text = render(merged);
    expect(text).toContain('\ndepth{queue="q",worker="web-1"} 3\ndepth{queue="q",worker="web-2"} 5\n');
    expect(text).toContain('\njobs_total 2\n'); // counters still add
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('refuses a perSource label the family has, sources it cannot tell apart, and a bad label name', () => {
    const a = new Registry();
    a.gauge({ name: 'depth', help: 'D.', labelNames: ['worker'] }).set({ worker: 'x' }, 1);
    const error = thrown(() => mergeSnapshots([a.snapshot()], { gauges: { perSource: 'worker' } }));
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toBe(
      'mergeSnapshots: gauge "depth" already has a label "worker", so it cannot be its perSource label',
    );
    const b = new Registry();
    b.gauge({ name: 'up', help: 'U.' }).set(1);
    expect(() =>
      mergeSnapshots([b.snapshot(), b.snapshot()], { sources: ['same', 'same'], gauges: { perSource: 'worker' } }),
    ).toThrow(
      'mergeSnapshots: gauge "up" is merged perSource, so its sources need distinct names (option "sources"), got ["same","same"]',
    );
    expect(() => mergeSnapshots([b.snapshot()], { gauges: { perSource: 'not-a-label' } })).toThrow(/option "gauges"/);
    expect(() => mergeSnapshots([b.snapshot()], { gauges: () => ({ perSource: '__x' }) })).toThrow(
      /gauge policy for "up" must be/,
    );
  });

  it('keeps families only some sources have, and the output passes promtool', () => {
    const a = new Registry();
    const b = new Registry();
    a.counter({ name: 'only_a_total', help: 'A.' }).inc();
    b.histogram({ name: 'b_wait_seconds', help: 'B.' }).observe(0.2);
    a.buildInfo({ version: '1' });
    b.buildInfo({ version: '1' });
    const text = render(mergeSnapshots([a.snapshot(), b.snapshot()]));
    expect(text).toContain('only_a_total 1\n');
    expect(text).toContain('b_wait_seconds_count 1\n');
    expect(text.match(/build_info\{/g)).toHaveLength(1);
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('names the family, both sources and the difference when sources disagree', () => {
    const a = new Registry();
    const b = new Registry();
    a.histogram({ name: 'latency', help: 'L.', buckets: [1, 2] });
    b.histogram({ name: 'latency', help: 'L.', buckets: [1, 5] });
    const error = thrown(() => mergeSnapshots([a.snapshot(), b.snapshot()], { sources: ['web', 'worker'] }));
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toBe(
      'mergeSnapshots: family "latency" has buckets [1,2] in source "web" but [1,5] in source "worker"',
    );
    const c = new Registry();
    c.gauge({ name: 'latency', help: 'L.' });
    expect((thrown(() => mergeSnapshots([a.snapshot(), c.snapshot()])) as Error).message).toBe(
      'mergeSnapshots: family "latency" has type "histogram" in source "#0" but "gauge" in source "#1"',
    );
  });

  it('refuses what is not snapshots, and bad options', () => {
    const snapshot = new Registry().snapshot();
    expect(() => mergeSnapshots({} as never)).toThrow(/expected an array of snapshots/);
    expect(() => mergeSnapshots([snapshot, 'text' as never])).toThrow(/expected an array of snapshots/);
    expect(() => mergeSnapshots([snapshot], { gauges: 'avg' as never })).toThrow(/gauges/);
    expect(() => mergeSnapshots([snapshot], { labels: 'x' } as never)).toThrow(/unknown option "labels"/);
  });

  it('changes none of its inputs', () => {
    const a = snapshotOf([{ kind: 'counter', label: 'a', amount: 1 }]);
    const b = snapshotOf([{ kind: 'counter', label: 'a', amount: 2 }]);
    const before = JSON.stringify([a, b]);
    mergeSnapshots([a, b]);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});
