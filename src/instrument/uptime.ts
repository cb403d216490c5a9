import type { Gauge } from '../core/gauge.js';
import type { Registry } from '../core/registry.js';
import { checkArgument, checkOptions, isRegistry, isString } from '../options.js';

/** Options of {@link registerUptime}. */
export interface UptimeOptions {
  /** The gauge's name, after the registry prefix. Default `process_uptime_seconds`. */
  readonly name?: string | undefined;
  /** Default "Seconds since the process started." */
  readonly help?: string | undefined;
}

/**
 * Declares a gauge of the seconds since the process started, read at each snapshot: the uptime a
 * service's plan names (`<prefix>process_uptime_seconds`, or `name`). Prometheus can also derive
 * it from `process_start_time_seconds`; this is for contracts that expose it directly.
 * @throws PromliteError for a registry that is not one, bad options, or a name already taken.
 * @example
 * registerUptime(new Registry({ prefix: 'palingenesis_' }), { name: 'uptime_seconds' });
 */
export function registerUptime(registry: Registry, options: UptimeOptions = {}): Gauge {
  checkArgument('registerUptime', registry, isRegistry);
  checkOptions('registerUptime', options, { name: isString, help: isString });
  return registry.gauge({
    name: options.name ?? 'process_uptime_seconds',
    help: options.help ?? 'Seconds since the process started.',
    collect: () => process.uptime(),
  });
}
