import { describe, expect, it } from 'vitest';
import { Registry, render, renderOpenMetrics } from '../../src/index.js';

describe('buildInfo', () => {
  it('exposes one series with value 1, node_version defaulting to process.version', () => {
    const registry = new Registry();
    registry.buildInfo({ version: '2.0.0', commit: 'abc' });
    expect(render(registry.snapshot())).toContain(
      `build_info{version="2.0.0",commit="abc",node_version="${process.version}"} 1\n`,
    );
    expect(renderOpenMetrics(registry.snapshot())).toContain('# TYPE build info\n');
  });

  it('leaves node_version out when the caller writes node_version: undefined (a contract without it)', () => {
    const registry = new Registry({ prefix: 'daemon_' });
    registry.buildInfo({ version: '3.1.0', node_version: undefined });
    expect(render(registry.snapshot())).toContain('daemon_build_info{version="3.1.0"} 1\n');
  });

  it('replaces the values when called again', () => {
    const registry = new Registry();
    registry.buildInfo({ version: '1', commit: 'a', node_version: 'v1' });
    registry.buildInfo({ version: '2', commit: 'b', node_version: 'v1' });
    const text = render(registry.snapshot());
    expect(text.match(/^build_info\{/gm)).toHaveLength(1);
    expect(text).toContain('build_info{version="2",commit="b",node_version="v1"} 1\n');
  });

  it('rejects fields that are not strings or not label names', () => {
    const registry = new Registry();
    expect(() => registry.buildInfo({ version: 1 as unknown as string })).toThrow(
      'info "build_info": field "version" must be a string, got number',
    );
    expect(() => registry.buildInfo({ version: '1', 'git-sha': 'x' })).toThrow(/label name "git-sha"/);
  });

  it('insists on the _info suffix for info metrics', async () => {
    const { assertMetricName } = await import('../../src/core/names.js');
    expect(() => assertMetricName('build', 'info')).toThrow('info "build": an info metric name must end in "_info"');
  });
});

describe('stateGauge', () => {
  it('sets exactly one state to 1', () => {
    const registry = new Registry();
    const state = registry.stateGauge({ name: 'breaker', help: 'B.', states: ['closed', 'open'] });
    state.set('open');
    state.set('closed');
    const family = registry.snapshot().families.find((f) => f.name === 'breaker');
    expect(family?.type).toBe('stateset');
    expect(family?.series.map((s) => [s.labelValues[0], 'value' in s ? s.value : undefined])).toEqual([
      ['closed', 1],
      ['open', 0],
    ]);
  });

  it('throws for an unknown state, naming the states', () => {
    const registry = new Registry();
    const state = registry.stateGauge({ name: 'breaker', help: 'B.', states: ['closed', 'open'], labelNames: ['dep'] });
    expect(() => state.set({ dep: 'db' }, 'ajar' as 'open')).toThrow(
      'stateset "breaker": unknown state "ajar" (states: closed, open)',
    );
    expect(() => state.set({ nope: 'db' } as never, 'open')).toThrow(/label "nope" is not declared/);
  });

  it.each([
    [[], /non-empty array/],
    [['a', 'a'], /"a" is listed twice/],
    [['a', ''], /must be a non-empty string/],
  ])('rejects states %j', (states, message) => {
    expect(() => new Registry().stateGauge({ name: 's', help: 'S.', states })).toThrow(message);
  });

  it('returns the same state set for the same definition, and refuses other states', () => {
    const registry = new Registry();
    const first = registry.stateGauge({ name: 's', help: 'S.', states: ['a', 'b'] });
    expect(registry.stateGauge({ name: 's', help: 'S.', states: ['a', 'b'] })).toBe(first);
    expect(() => registry.stateGauge({ name: 's', help: 'S.', states: ['a', 'c'] })).toThrow(
      'stateset "s": already registered with states [a, b]',
    );
  });

  it('refuses a label that clashes with the state label, and names with a colon', () => {
    const registry = new Registry();
    expect(() => registry.stateGauge({ name: 's', help: 'S.', states: ['a'], labelNames: ['s'] })).toThrow(
      /label "s" is declared twice/,
    );
    expect(() => registry.stateGauge({ name: 'a:b', help: 'S.', states: ['a'] })).toThrow(/cannot hold ":"/);
  });
});
