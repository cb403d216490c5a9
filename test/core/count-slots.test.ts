import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/index.js';
import type { HistogramSeries } from '../../src/index.js';
import { CountSlots, type SlotOwner } from '../../src/core/count-slots.js';

function seriesOf(registry: Registry, name: string): readonly HistogramSeries[] {
  const family = registry.snapshot().families.find((f) => f.name === name);
  if (family?.type !== 'histogram') throw new Error(`no histogram ${name}`);
  return family.series;
}

describe('CountSlots', () => {
  it('hands out zeroed slots that never overlap, after the bounds that start every page', () => {
    // Bounds 1 and 2: a slot is the sum and three counts (le=1, le=2, +Inf).
    const slots = new CountSlots([1, 2]);
    const owners: SlotOwner[] = [];
    for (let i = 0; i < 200; i++) {
      const owner: SlotOwner = { page: [], base: 0 };
      slots.claim(owner);
      expect(owner.base).toBeGreaterThanOrEqual(3);
      expect(owner.page.slice(owner.base, owner.base + 4)).toEqual([0, 0, 0, 0]);
      owner.page.fill(i + 1, owner.base, owner.base + 4);
      owners.push(owner);
    }
    expect(new Set(owners.map((owner) => owner.page)).size).toBeGreaterThan(1);
    owners.forEach((owner, i) => {
      expect(owner.page.slice(0, 3)).toEqual([1, 2, Number.POSITIVE_INFINITY]);
      expect(owner.page.slice(owner.base, owner.base + 4)).toEqual([i + 1, i + 1, i + 1, i + 1]);
    });
  });

  it('asks for compaction only once dead slots outnumber live ones, and compaction keeps the values', () => {
    // No finite bounds: a slot is the sum and the +Inf count.
    const slots = new CountSlots([]);
    const owners = Array.from({ length: 300 }, (_, i) => {
      const owner: SlotOwner = { page: [], base: 0 };
      slots.claim(owner);
      owner.page[owner.base] = i;
      owner.page[owner.base + 1] = i / 2;
      return owner;
    });
    let asked = -1;
    for (let i = 0; i < 200 && asked < 0; i++) if (slots.release()) asked = i + 1;
    expect(asked).toBe(151);
    const live = owners.slice(asked);
    const before = live.map((owner) => owner.page);
    slots.compact(live);
    live.forEach((owner, i) => {
      expect(owner.page).not.toBe(before[i]);
      expect(owner.page[0]).toBe(Number.POSITIVE_INFINITY);
      expect([owner.page[owner.base], owner.page[owner.base + 1]]).toEqual([asked + i, (asked + i) / 2]);
    });
  });
});

describe('histogram counts in shared slots', () => {
  it('stay exact per series through removals, compaction and reset', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h_seconds', help: 'H.', labelNames: ['i'], buckets: [1, 2] });
    for (let i = 0; i < 500; i++) for (let k = 0; k <= i % 4; k++) histogram.observe({ i }, k);
    // Removing most series compacts the survivors' slots at least once.
    for (let i = 0; i < 500; i++) if (i % 5 !== 0) histogram.remove({ i });
    const series = seriesOf(registry, 'h_seconds');
    expect(series).toHaveLength(100);
    for (const { labelValues, cumulativeCounts, count, sum } of series) {
      const n = (Number(labelValues[0]) % 4) + 1;
      const observed = Array.from({ length: n }, (_, k) => k);
      expect(count).toBe(n);
      expect(sum).toBe(observed.reduce((a, b) => a + b, 0));
      expect(cumulativeCounts).toEqual([observed.filter((v) => v <= 1).length, observed.filter((v) => v <= 2).length]);
    }
    histogram.reset();
    histogram.observe({ i: 'new' }, 0.5);
    expect(seriesOf(registry, 'h_seconds').map((s) => [s.labelValues, s.count, s.sum])).toEqual([[['new'], 1, 0.5]]);
  });

  it('are not touched by the bound child of a removed series', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h_seconds', help: 'H.', labelNames: ['i'] });
    const children = Array.from({ length: 300 }, (_, i) => histogram.labels({ i }));
    for (let i = 0; i < 299; i++) histogram.remove({ i });
    for (let i = 0; i < 300; i++) histogram.observe({ i: `new${i}` }, 1);
    for (const child of children) child.observe(0.001);
    const series = seriesOf(registry, 'h_seconds');
    expect(series.filter((s) => s.labelValues[0] === '299').map((s) => s.count)).toEqual([1]);
    for (const s of series.filter((s) => s.labelValues[0] !== '299')) expect([s.count, s.sum]).toEqual([1, 1]);
  });

  it('are copied into a snapshot, which later observations leave as it was', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h_seconds', help: 'H.', buckets: [1] });
    histogram.observe(0.5);
    const before = registry.snapshot();
    histogram.observe(2);
    expect(seriesOf({ snapshot: () => before } as Registry, 'h_seconds')[0]).toMatchObject({
      cumulativeCounts: [1],
      count: 1,
      sum: 0.5,
    });
    expect(seriesOf(registry, 'h_seconds')[0]).toMatchObject({ cumulativeCounts: [1], count: 2, sum: 2.5 });
  });
});
