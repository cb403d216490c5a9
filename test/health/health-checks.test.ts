import { describe, expect, it } from 'vitest';
import { HealthChecks, Registry, render } from '../../src/index.js';
import { promtoolCheckMetrics } from '../support/consumers.js';

const never = () => new Promise(() => {});

describe('HealthChecks.run', () => {
  it('is up when every check passes, with string results as details', async () => {
    const report = await new HealthChecks().add('db', () => 'pool 4/10').add('cache', async () => undefined).run();
    expect(report.status).toBe('up');
    expect(report.checks.map(({ durationMs: _, ...rest }) => rest)).toEqual([
      { component: 'db', status: 'up', details: 'pool 4/10' },
      { component: 'cache', status: 'up' },
    ]);
    for (const check of report.checks) expect(check.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('is degraded when only non-critical checks fail, down when a critical one does', async () => {
    const degraded = await new HealthChecks().add('db', () => true).add('cache', () => false, { critical: false }).run();
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks[1]).toMatchObject({ component: 'cache', status: 'down', details: 'check returned false' });
    const down = await new HealthChecks().add('cache', () => false, { critical: false }).add('db', () => { throw new Error('connection refused'); }).run();
    expect(down.status).toBe('down');
    expect(down.checks[1]).toMatchObject({ status: 'down', details: 'Error: connection refused' });
  });

  it('reports a hung check as timed out, without waiting past its timeout', async () => {
    const started = performance.now();
    const report = await new HealthChecks().add('hung', never, { timeoutMs: 100 }).add('fast', () => true).run();
    const elapsed = performance.now() - started;
    expect(report.status).toBe('down');
    expect(report.checks[0]).toMatchObject({ component: 'hung', status: 'down', details: 'timed out after 100 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(2000);
  });

  it('runs checks concurrently', async () => {
    const wait = (ms: number) => () => new Promise((resolve) => setTimeout(resolve, ms));
    const started = performance.now();
    await new HealthChecks().add('a', wait(150)).add('b', wait(150)).add('c', wait(150)).run();
    expect(performance.now() - started).toBeLessThan(400);
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
    const report = await new HealthChecks().add('x', () => { throw thrown; }).run();
    expect(report.checks[0]?.details).toBe(details);
  });

  it('gives readable details for a circular object, and for a rejected promise', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const report = await new HealthChecks().add('x', () => { throw circular; }).add('y', () => Promise.reject(new Error('nope'))).run();
    expect(report.checks[0]?.details).toBe('check failed (threw [object Object])');
    expect(report.checks[1]?.details).toBe('Error: nope');
  });

  it('sets health_check_up and health_check_duration_seconds', async () => {
    const registry = new Registry();
    await new HealthChecks(registry).add('db', () => true).add('cache', () => false, { critical: false }).run();
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
    [() => new HealthChecks().add('a', () => true, { timeoutMs: 0 }), 'timeoutMs must be a positive number'],
  ])('rejects bad input %#', (action, message) => {
    expect(action).toThrow(message);
  });
});
