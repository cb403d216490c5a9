// promlite: the public API. Serving and instrumentation also have entry points of their own
// (serve/index.ts, instrument/index.ts). Every other file in src/ is internal and may change.

/** The registry: declares metrics, records jobs, takes snapshots, reads collectors. */
export { Registry } from './core/registry.js';
export type { BuildInfo, InfoOptions, RegistryOptions, SnapshotAsyncOptions } from './core/registry.js';
export type { Collector, CollectorOptions } from './core/collector.js';
export { JOB_DURATION_BUCKETS, SUCCESS_STATUSES, type JobDropReason } from './core/jobs.js';
/** Metric types, their bound children and options. */
export { Counter, type CounterChild, type CounterOptions } from './core/counter.js';
export { Gauge, type GaugeChild, type GaugeOptions } from './core/gauge.js';
export { DEFAULT_BUCKETS, Histogram, type HistogramChild, type HistogramOptions } from './core/histogram.js';
export type { NativeHistogramOptions } from './core/native-options.js';
export type { ExemplarLabels } from './core/exemplar.js';
export { exponentialBuckets, linearBuckets } from './core/buckets.js';
export { DEFAULT_PERCENTILES, Summary, type SummaryChild, type SummaryOptions } from './core/summary.js';
export type { StopTimer } from './core/timer.js';
export { StateGauge, type StateGaugeOptions } from './core/state-gauge.js';
export type { CollectedSample, CollectFunction } from './core/collect.js';
export type { Labels } from './core/labels.js';
/** Snapshots: plain, sorted, frozen data, what the renderers read. */
export type {
  CounterFamily,
  Exemplar,
  FamilySnapshot,
  GaugeFamily,
  HistogramFamily,
  HistogramSeries,
  InfoFamily,
  NativeBucketList,
  NativeHistogramData,
  RegistrySnapshot,
  StateSetFamily,
  ScalarSeries,
  SummaryFamily,
  SummarySeries,
} from './core/snapshot.js';
/** Merging snapshots of several registries or processes into one (a pure function). */
export { type GaugeMergePolicy, type MergeOptions, mergeSnapshots } from './core/merge.js';
/** Many processes as one: cluster workers and worker threads share snapshots; an aggregator merges them. */
export { type AddWorkerOptions, MetricsAggregator, type MetricsAggregatorOptions } from './cluster/aggregator.js';
export {
  type AggregateView,
  shareMetrics,
  type SharedMetrics,
  type ShareMetricsOptions,
} from './cluster/share-metrics.js';
export type { IpcLike, PortLike } from './cluster/peer.js';
export type { SnapshotSource } from './core/snapshot-source.js';
/** Renderers: pure functions of a snapshot, text 0.0.4, OpenMetrics 1.0.0 and protobuf, whole or in chunks. */
export { render, renderChunks, TEXT_CONTENT_TYPE } from './exposition/text.js';
export { RenderBuffer } from './exposition/render-buffer.js';
export { OPENMETRICS_CONTENT_TYPE, renderOpenMetrics, renderOpenMetricsChunks } from './exposition/openmetrics.js';
export { PROTOBUF_CONTENT_TYPE, renderProtobuf, renderProtobufChunks } from './exposition/protobuf.js';
/** Short-lived jobs: pushing a registry's metrics to a Prometheus Pushgateway before exit. */
export { type PushMethod, pushMetrics, type PushOptions, type PushResult } from './push/push-metrics.js';
/** The one error class. */
export { PromliteError, type PromliteErrorCode } from './errors.js';
/** Serving and instrumentation: everything of promlite/serve and promlite/instrument, for one import. */
export * from './serve/index.js';
export * from './instrument/index.js';
/** Frameworks that need more than a `node:http` listener. */
export { type FastifyLike, fastifyMetrics, type FastifyMetricsOptions } from './frameworks/fastify.js';
