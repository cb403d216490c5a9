import type { FamilyCatalog } from './catalog.js';
import { Counter } from './counter.js';
import { defineMetric, type DefinitionScope } from './definition.js';
import type { MetricContext } from './metric.js';

/** The `promlite_*` counters every registry keeps about itself. */
export interface SelfMetrics {
  readonly seriesDropped: Counter<'metric'>;
  readonly collectErrors: Counter<'metric'>;
  readonly exemplarsDropped: Counter<'metric'>;
}

/**
 * Declares a registry's self-metrics in its catalog. They hold one series per metric at most,
 * so they are exempt from the limits: a registry with more metrics than `maxSeries`, or names
 * longer than `maxLabelValueLength`, must still report on all of them (and a drop of their own
 * would recurse).
 */
export function declareSelfMetrics(
  catalog: FamilyCatalog<Counter<'metric'>>,
  scope: DefinitionScope,
  context: MetricContext,
): SelfMetrics {
  const unlimited = { ...context, maxSeries: Number.MAX_SAFE_INTEGER, maxLabelValueLength: Number.MAX_SAFE_INTEGER };
  const perMetricCounter = (name: string, help: string) => {
    const definition = defineMetric('counter', { name, help, labelNames: ['metric'] }, scope);
    return catalog.add(definition, () => new Counter<'metric'>(definition, unlimited, undefined));
  };
  return {
    seriesDropped: perMetricCounter(
      'promlite_series_dropped_total',
      'Updates refused because they would have created a series over the series or label-length limit.',
    ),
    collectErrors: perMetricCounter(
      'promlite_collect_errors_total',
      'Snapshots in which a collect function failed; the family was left out of that snapshot.',
    ),
    exemplarsDropped: perMetricCounter(
      'promlite_exemplars_dropped_total',
      'Exemplars refused because their label set was longer than 128 characters; the update itself was kept.',
    ),
  };
}
