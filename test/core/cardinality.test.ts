import { describe, expect, it } from 'vitest';
import { Registry, render } from '../../src/index.js';

const droppedCount = (text: string, metric: string): number => {
  const match = new RegExp(`^promlite_series_dropped_total\\{metric="${metric}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
};

describe('series cap', () => {
  it('creates no series past maxSeriesPerMetric and counts every refused update', () => {
    const registry = new Registry({ maxSeriesPerMetric: 3 });
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['user'] });
    for (let i = 0; i < 10; i++) counter.inc({ user: `u${i}` });
    counter.inc({ user: 'u0' }); // existing series still update
    const text = render(registry.snapshot());
    expect(text.match(/^c_total\{/gm)).toHaveLength(3);
    expect(text).toContain('c_total{user="u0"} 2\n');
    expect(droppedCount(text, 'c_total')).toBe(7);
  });

  it('gives a child past the cap that counts drops and still validates values', () => {
    const registry = new Registry({ maxSeriesPerMetric: 1 });
    const histogram = registry.histogram({ name: 'h', help: 'H.', labelNames: ['k'] });
    const gauge = registry.gauge({ name: 'g', help: 'G.', labelNames: ['k'] });
    histogram.observe({ k: 'a' }, 1);
    gauge.set({ k: 'a' }, 1);
    const overflow = histogram.labels({ k: 'b' });
    overflow.observe(1);
    overflow.startTimer()();
    expect(() => overflow.observe(NaN)).toThrow(/other than NaN/);
    const gaugeOverflow = gauge.labels({ k: 'b' });
    gaugeOverflow.set(1);
    gaugeOverflow.inc();
    gaugeOverflow.dec();
    expect(() => gaugeOverflow.set('x' as unknown as number)).toThrow(/must be a number/);
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['k'] });
    counter.inc({ k: 'a' });
    expect(() => counter.labels({ k: 'b' }).inc(-1)).toThrow(/increment must be/);
    expect(() => counter.inc({ k: 'b' }, NaN)).toThrow(/increment must be/);
    const text = render(registry.snapshot());
    expect(droppedCount(text, 'h')).toBe(2);
    expect(droppedCount(text, 'g')).toBe(3);
  });

  it('refuses label values longer than maxLabelValueLength', () => {
    const registry = new Registry({ maxLabelValueLength: 8 });
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['path'] });
    counter.inc({ path: '12345678' });
    counter.inc({ path: '123456789' });
    const text = render(registry.snapshot());
    expect(text).toContain('c_total{path="12345678"} 1\n');
    expect(text).not.toContain('123456789"');
    expect(droppedCount(text, 'c_total')).toBe(1);
  });

  it('keeps memory bounded under a flood of hostile label values', () => {
    const registry = new Registry({ maxSeriesPerMetric: 1000 });
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a', 'b'] });
    const hostile = (i: number) => `${'\\"\n{},='.repeat(i % 7)}${i}${'x'.repeat(i % 2000)}`;
    const gc = (globalThis as { gc?: () => void }).gc;
    // vitest.config.ts runs tests with --expose-gc, so the heap is measured after a real collection.
    expect(gc).toBeTypeOf('function');
    const measure = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    for (let i = 0; i < 20_000; i++) counter.inc({ a: hostile(i), b: hostile(i * 7) });
    const afterFirstFlood = measure();
    for (let i = 20_000; i < 120_000; i++) counter.inc({ a: hostile(i), b: hostile(i * 3) });
    const afterSecondFlood = measure();
    const family = registry.snapshot().families.find((f) => f.name === 'c_total');
    expect(family?.series.length).toBe(1000);
    // Five times more hostile updates did not grow the registry: the cap held (allowing GC noise).
    expect(afterSecondFlood - afterFirstFlood).toBeLessThan(8 * 1024 * 1024);
    const longest = Math.max(...(family?.series.flatMap((s) => s.labelValues.map((v) => v.length)) ?? []));
    expect(longest).toBeLessThanOrEqual(1024);
  });

  it('does not merge label sets whose values contain separators', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a', 'b'] });
    counter.inc({ a: '1,b=2', b: '' });
    counter.inc({ a: '1', b: '2' });
    counter.inc({ a: '1', b: ',b=2' });
    counter.inc({ a: '1\u0000', b: '2' });
    counter.inc({ a: '1', b: '\u00002' });
    expect(registry.snapshot().families.find((f) => f.name === 'c_total')?.series).toHaveLength(5);
  });

  it('treats lone surrogates as the U+FFFD that UTF-8 output would make of them', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a'] });
    counter.inc({ a: '\uD800' });
    counter.inc({ a: '\uDC00' });
    counter.inc({ a: '\uFFFD' });
    const series = registry.snapshot().families.find((f) => f.name === 'c_total')?.series;
    expect(series).toEqual([{ labelValues: ['\uFFFD'], value: 3 }]);
  });
});
