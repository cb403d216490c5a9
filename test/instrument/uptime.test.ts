import { describe, expect, it } from 'vitest';
import { Registry, registerUptime, render } from '../../src/index.js';

describe('registerUptime', () => {
  it('exposes the seconds since the process started, under the name the service chose', () => {
    const registry = new Registry({ prefix: 'palingenesis_' });
    registerUptime(registry, { name: 'uptime_seconds' });
    const match = /^palingenesis_uptime_seconds ([\d.e+]+)$/m.exec(render(registry.snapshot()));
    expect(match).not.toBeNull();
    const seconds = Number(match?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(process.uptime());
  });

  it('defaults to <prefix>process_uptime_seconds, and refuses bad options', () => {
    const registry = new Registry({ prefix: 'tqserver_' });
    expect(registerUptime(registry).name).toBe('tqserver_process_uptime_seconds');
    expect(() => registerUptime(registry, { nam: 'x' } as never)).toThrow(/unknown option "nam"/);
    expect(() => registerUptime({} as never)).toThrow(/must be a Registry/);
  });
});
