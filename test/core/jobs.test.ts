import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Registry, render, type HistogramFamily, type RegistrySnapshot } from '../../src/index.js';
import { controlClock } from '../support/clock.js';

const NOW = 1_700_000_000_000;

function jobSeries(snapshot: RegistrySnapshot, kind: string, status: string) {
  const family = snapshot.families.find((f) => f.name === 'job_duration_seconds') as HistogramFamily;
  return family.series.find((s) => s.labelValues[0] === kind && s.labelValues[1] === status);
}

function scalar(snapshot: RegistrySnapshot, name: string, labelValue: string): number | undefined {
  const family = snapshot.families.find((f) => f.name === name);
  if (family === undefined || family.type === 'histogram' || family.type === 'summary') return undefined;
  return family.series.find((s) => s.labelValues[0] === labelValue)?.value;
}

describe('observeJob', () => {
  it('records duration by kind and status, and the last success time', () => {
    const registry = new Registry({ now: () => NOW });
    registry.observeJob('email', 'success', 2);
    registry.observeJob('email', 'failure', 3);
    const snapshot = registry.snapshot();
    expect(jobSeries(snapshot, 'email', 'success')).toMatchObject({ count: 1, sum: 2 });
    expect(jobSeries(snapshot, 'email', 'failure')).toMatchObject({ count: 1, sum: 3 });
    expect(scalar(snapshot, 'job_last_success_timestamp_seconds', 'email')).toBe(NOW / 1000);
  });

  it.each(['success', 'succeeded', 'ok', 'completed', 'done', 'SUCCESS', 'Ok'])('counts %s as a success', (status) => {
    const registry = new Registry({ now: () => NOW });
    registry.observeJob('k', status, 1);
    expect(scalar(registry.snapshot(), 'job_last_success_timestamp_seconds', 'k')).toBe(NOW / 1000);
  });

  it.each(['failure', 'failed', 'error', 'timeout', 'cancelled'])('does not count %s as a success', (status) => {
    const registry = new Registry({ now: () => NOW });
    registry.observeJob('k', status, 1);
    expect(scalar(registry.snapshot(), 'job_last_success_timestamp_seconds', 'k')).toBeUndefined();
  });

  it('clamps negative durations to 0', () => {
    const registry = new Registry();
    registry.observeJob('k', 'failure', -3);
    expect(jobSeries(registry.snapshot(), 'k', 'failure')).toMatchObject({
      count: 1,
      sum: 0,
      cumulativeCounts: expect.arrayContaining([1]),
    });
  });

  it.each([
    ['NaN', 'k', 'ok', NaN, 'invalid_duration'],
    ['+Infinity', 'k', 'ok', Infinity, 'invalid_duration'],
    ['-Infinity', 'k', 'ok', -Infinity, 'invalid_duration'],
    ['a string duration', 'k', 'ok', '1' as unknown as number, 'invalid_duration'],
    ['an empty kind', '', 'ok', 1, 'invalid_label'],
    ['an empty status', 'k', '', 1, 'invalid_label'],
    ['a non-string kind', 5 as unknown as string, 'ok', 1, 'invalid_label'],
    ['an undefined status', 'k', undefined as unknown as string, 1, 'invalid_label'],
  ])('drops %s and counts it', (_, kind, status, seconds, reason) => {
    const registry = new Registry();
    registry.observeJob(kind, status, seconds);
    const snapshot = registry.snapshot();
    expect((snapshot.families.find((f) => f.name === 'job_duration_seconds') as HistogramFamily).series).toHaveLength(
      0,
    );
    expect(scalar(snapshot, 'promlite_job_observations_dropped_total', reason)).toBe(1);
  });

  it('never throws, whatever it is given', () => {
    const registry = new Registry({ maxSeriesPerMetric: 50 });
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (kind, status, seconds) => {
        registry.observeJob(kind as string, status as string, seconds as number);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.double(), (kind, status, seconds) => {
        registry.observeJob(kind, status, seconds);
      }),
      { numRuns: 2000 },
    );
    expect(() => render(registry.snapshot())).not.toThrow();
  });
});

describe('timeJob', () => {
  it('returns the result and records a success', async () => {
    const registry = new Registry({ now: () => NOW });
    const result = await registry.timeJob('report', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return 42;
    });
    expect(result).toBe(42);
    expect(jobSeries(registry.snapshot(), 'report', 'success')?.count).toBe(1);
    expect(scalar(registry.snapshot(), 'job_last_success_timestamp_seconds', 'report')).toBe(NOW / 1000);
  });

  it('records durations in seconds: a 50 ms success, a 90 s failure', async () => {
    const clock = controlClock();
    try {
      const registry = new Registry();
      await registry.timeJob('report', async () => {
        clock.elapse(50);
        await new Promise((resolve) => setImmediate(resolve));
      });
      await expect(
        registry.timeJob('report', () => {
          clock.elapse(90_000);
          throw new Error('gave up');
        }),
      ).rejects.toThrow('gave up');
      const snapshot = registry.snapshot();
      expect(jobSeries(snapshot, 'report', 'success')?.sum).toBeCloseTo(0.05, 9);
      expect(jobSeries(snapshot, 'report', 'failure')?.sum).toBeCloseTo(90, 9);
      // The failure lands between the 60 s and 120 s bounds, where a job dashboard shows it.
      expect(render(snapshot)).toContain('job_duration_seconds_bucket{kind="report",status="failure",le="60"} 0\n');
      expect(render(snapshot)).toContain('job_duration_seconds_bucket{kind="report",status="failure",le="120"} 1\n');
    } finally {
      clock.restore();
    }
  });

  it('rethrows the very error and records a failure', async () => {
    const registry = new Registry();
    const error = new Error('boom');
    await expect(registry.timeJob('report', () => Promise.reject(error))).rejects.toBe(error);
    await expect(
      registry.timeJob('sync', () => {
        throw 'not an Error';
      }),
    ).rejects.toBe('not an Error');
    expect(jobSeries(registry.snapshot(), 'report', 'failure')?.count).toBe(1);
    expect(jobSeries(registry.snapshot(), 'sync', 'failure')?.count).toBe(1);
  });

  it('accepts a synchronous function', async () => {
    const registry = new Registry();
    expect(await registry.timeJob('sync', () => 'done')).toBe('done');
    expect(jobSeries(registry.snapshot(), 'sync', 'success')?.count).toBe(1);
  });
});

describe('job metrics, declared on first use', () => {
  it('are not in a registry that never recorded a job, which may declare those names itself', () => {
    const registry = new Registry();
    expect(registry.snapshot().families.map((f) => f.name)).toEqual([
      'promlite_collect_errors_total',
      'promlite_exemplars_dropped_total',
      'promlite_series_dropped_total',
    ]);
    const mine = registry.gauge({ name: 'job_duration_seconds', help: 'Mine.' });
    mine.set(3);
    expect(render(registry.snapshot())).toContain('# TYPE job_duration_seconds gauge\njob_duration_seconds 3\n');
  });

  it('appear on the first observeJob or timeJob, even an invalid one', async () => {
    const names = (registry: Registry) => registry.snapshot().families.map((f) => f.name);
    const observed = new Registry();
    observed.observeJob('', 'success', 1);
    const timed = new Registry();
    await timed.timeJob('k', () => 1);
    for (const registry of [observed, timed]) {
      expect(names(registry)).toEqual(
        expect.arrayContaining([
          'job_duration_seconds',
          'job_last_success_timestamp_seconds',
          'promlite_job_observations_dropped_total',
        ]),
      );
    }
  });

  it('never throw when the names are taken: each call is counted as name_taken', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'job_duration_seconds', help: 'Mine.' }).set(3);
    expect(() => registry.observeJob('email', 'success', 1)).not.toThrow();
    await expect(registry.timeJob('email', () => 'done')).resolves.toBe('done');
    const snapshot = registry.snapshot();
    expect(scalar(snapshot, 'promlite_job_observations_dropped_total', 'name_taken')).toBe(2);
    expect(render(snapshot)).toContain('job_duration_seconds 3\n');
  });

  it('count name_taken when a default label is called kind', () => {
    const registry = new Registry({ defaultLabels: { kind: 'web' } });
    registry.observeJob('email', 'success', 1);
    expect(render(registry.snapshot())).toContain(
      'promlite_job_observations_dropped_total{reason="name_taken",kind="web"} 1\n',
    );
  });
});
