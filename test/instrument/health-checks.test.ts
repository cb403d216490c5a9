import { describe, expect, it, vi } from 'vitest';
import { HealthChecks, Registry, render, type RegistrySnapshot } from '../../src/index.js';
import { controlClock } from '../support/clock.js';
import { promtoolCheckMetrics } from '../support/consumers.js';

const never = () => new Promise(() => {});

function gaugeValue(snapshot: RegistrySnapshot, name: string, component: string): number | undefined {
  const family = snapshot.families.find((f) => f.name === name);
  if (family === undefined || family.type === 'histogram' || family.type === 'summary') return undefined;
  return family.series.find((s) => s.labelValues[0] === component)?.value;
}

describe('HealthChecks.run', () => {
  it('is up when every check passes, with string results as details', async () => {
    const report = await new HealthChecks()
      .add('db', () => 'pool 4/10')
      .add('cache', async () => undefined)
      .run();
    expect(report.status).toBe('up');
    expect(report.checks.map(({ durationMs: _, ...rest }) => rest)).toEqual([
      { component: 'db', status: 'up', details: 'pool 4/10' },
      { component: 'cache', status: 'up' },
    ]);
    for (const check of report.checks) expect(check.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('is degraded when only non-critical checks fail, down when a critical one does', async () => {
    const degraded = await new HealthChecks()
      .add('db', () => true)
      .add('cache', () => false, { critical: false })
      .run();
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks[1]).toMatchObject({ component: 'cache', status: 'down', details: 'check returned false' });
    const down = await new HealthChecks()
      .add('cache', () => false, { critical: false })
      .add('db', () => {
        throw new Error('connection refused');
      })
      .run();
    expect(down.status).toBe('down');
    expect(down.checks[1]).toMatchObject({ status: 'down', details: 'Error: connection refused' });
  });

  it('reports a hung check as timed out, when its timeout has passed and not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      let settled = false;
      const run = new HealthChecks()
        .add('hung', never, { timeoutMs: 100 })
        .add('fast', () => true)
        .run();
      void run.then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(99);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const report = await run;
      expect(report.status).toBe('down');
      expect(report.checks[0]).toMatchObject({
        component: 'hung',
        status: 'down',
        details: 'timed out after 100 ms',
        durationMs: 100,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs checks concurrently: every check starts before any finishes', async () => {
    const events: string[] = [];
    const check = (name: string) => async () => {
      events.push(`${name} started`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name} finished`);
    };
    await new HealthChecks().add('a', check('a')).add('b', check('b')).add('c', check('c')).run();
    expect(events.slice(0, 3).sort()).toEqual(['a started', 'b started', 'c started']);
  });

  it.each([
    ['a string', 'disk full', 'disk full'],
    ['an empty string', '', 'check failed (threw an empty string)'],
    ['undefined', undefined, 'check failed (threw undefined)'],
    ['null', null, 'check failed (threw null)'],
    ['a number', 42, 'check failed (threw 42)'],
    ['an object', { code: 'E_DB' }, 'check failed (threw {"code":"E_DB"})'],
    ['a TypeError', new TypeError('x is not a function'), 'TypeError: x is not a function'],
  ])('gives readable details when a check throws %s', async (_, thrown, details) => {
    const report = await new HealthChecks()
      .add('x', () => {
        throw thrown;
      })
      .run();
    expect(report.checks[0]?.details).toBe(details);
  });

  it('gives readable details for a circular object, and for a rejected promise', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const report = await new HealthChecks()
      .add('x', () => {
        throw circular;
      })
      .add('y', () => Promise.reject(new Error('nope')))
      .run();
    expect(report.checks[0]?.details).toBe('check failed (threw [object Object])');
    expect(report.checks[1]?.details).toBe('Error: nope');
  });

  it('records how long a check took in seconds: a 150 ms check sets 0.15', async () => {
    const clock = controlClock();
    try {
      const registry = new Registry();
      const report = await new HealthChecks(registry).add('db', () => clock.elapse(150)).run();
      expect(report.checks[0]?.durationMs).toBe(150);
      expect(gaugeValue(registry.snapshot(), 'health_check_duration_seconds', 'db')).toBeCloseTo(0.15, 9);
    } finally {
      clock.restore();
    }
  });

  it('sets health_check_up and health_check_duration_seconds', async () => {
    const registry = new Registry();
    await new HealthChecks(registry)
      .add('db', () => true)
      .add('cache', () => false, { critical: false })
      .run();
    const text = render(registry.snapshot());
    expect(text).toContain('health_check_up{component="cache"} 0\n');
    expect(text).toContain('health_check_up{component="db"} 1\n');
    expect(text).toMatch(/^health_check_duration_seconds\{component="db"\} [\d.e-]+$/m);
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it.each([
    [() => new HealthChecks().add('', () => true), 'the name must be a non-empty string'],
    [() => new HealthChecks().add('a', () => true).add('a', () => true), 'health check "a": added twice'],
    [() => new HealthChecks().add('a', 'nope' as never), 'the check must be a function'],
    [
      () => new HealthChecks().add('a', () => true, { timeoutMs: 0 }),
      'health check "a": option "timeoutMs" must be a finite number greater than 0, got 0',
    ],
    [
      () => new HealthChecks().add('a', () => true, { critical: 'no' as unknown as boolean }),
      'health check "a": option "critical" must be true or false, got "no"',
    ],
    [
      () => new HealthChecks().add('a', () => true, { timeout: 5 } as never),
      'health check "a": unknown option "timeout" (known: critical, timeoutMs, probes)',
    ],
    [() => new HealthChecks({} as never), 'HealthChecks: the first argument must be a Registry, got an object'],
    [
      () => new HealthChecks(undefined, { reuseResultMs: -1 }),
      'HealthChecks: option "reuseResultMs" must be an integer from 0 to 3600000, got -1',
    ],
  ])('rejects bad input %#', (action, message) => {
    expect(action).toThrow(message);
  });
});
