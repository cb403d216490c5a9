import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/index.js';
import { bucketQuantile, statusFromSnapshot } from '../../src/serve/status/status-data.js';

describe('bucketQuantile (as histogram_quantile)', () => {
  it.each([
    // q, bounds, cumulative, count, expected
    [0.5, [1, 2, 4], [0, 10, 10], 10, 1.5],
    [0.95, [1, 2, 4], [10, 10, 10], 10, 0.95],
    [0.5, [1, 2, 4], [2, 6, 10], 10, 1.75],
    [0.99, [1, 2], [0, 0], 5, 2], // rank in +Inf: the last finite bound
    [0.5, [1, 2], [0, 0], 0, undefined],
  ])('q=%s over %j / %j (count %s) → %s', (q, bounds, cumulative, count, expected) => {
    expect(bucketQuantile(q, bounds, cumulative, count)).toBe(expected);
  });
});

describe('statusFromSnapshot', () => {
  it('sums runs and failures over statuses, and times the last success', () => {
    const registry = new Registry({ prefix: 'app_', now: () => 1_700_000_000_000 });
    registry.observeJob('email', 'success', 0.2);
    registry.observeJob('email', 'failure', 0.3);
    registry.observeJob('email', 'timeout', 40);
    registry.observeJob('report', 'failure', 2);
    const data = statusFromSnapshot(registry.snapshot(), 'app_', null, 1_700_000_030_000);
    expect(data.generatedAt).toBe('2023-11-14T22:13:50.000Z');
    expect(data.jobs).toEqual([
      { kind: 'email', runs: 3, failures: 2, p95Seconds: expect.any(Number), secondsSinceSuccess: 30 },
      { kind: 'report', runs: 1, failures: 1, p95Seconds: expect.any(Number), secondsSinceSuccess: null },
    ]);
    expect(data.jobs[0]?.p95Seconds).toBeGreaterThan(30);
    expect(data.jobs[0]?.p95Seconds).toBeLessThanOrEqual(60);
  });
});
