import { isRegistry } from '../options.js';
import { Registry } from './registry.js';
import type { RegistrySnapshot } from './snapshot.js';

/**
 * Anything that produces a snapshot, synchronously or not: what `metricsHandler`,
 * `createMetricsServer` and `statusHandler` serve besides a `Registry` (a `MetricsAggregator`,
 * a cluster worker's `shareMetrics(...).aggregate`, or your own). `snapshot()` may reject: that
 * scrape is answered 500 and counted. The endpoints register their own metrics
 * (`promlite_scrape_*`) in `registry` when given, and in a registry of their own (not served)
 * otherwise; the status page reads job families under `registry.prefix`.
 */
export interface SnapshotSource {
  snapshot(): RegistrySnapshot | PromiseLike<RegistrySnapshot>;
  readonly registry?: Registry | undefined;
}

/**
 * Where an endpoint registers its own metrics: the registry it serves, the source's `registry`,
 * or, for a source without one, a new registry that nothing serves. Never throws.
 */
export function ownRegistryOf(source: Registry | SnapshotSource): Registry {
  if (isRegistry(source) === undefined) return source as Registry;
  const { registry } = source as SnapshotSource;
  return registry !== undefined && isRegistry(registry) === undefined ? registry : new Registry();
}
