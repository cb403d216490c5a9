import * as nodeCluster from 'node:cluster';
import type { Cluster, Worker as ClusterWorker } from 'node:cluster';
import { mergeSnapshotsSteps, type MergeOptions } from '../core/merge.js';
import { Registry } from '../core/registry.js';
import type { RegistrySnapshot } from '../core/snapshot.js';
import type { SnapshotSource } from '../core/snapshot-source.js';
import {
  checkArgument,
  checkOptions,
  integerIn,
  isBoolean,
  isRegistry,
  isString,
  type OptionCheck,
} from '../options.js';
import { isChannelLike, peerOf, type IpcLike, type PortLike, type ProtocolMessage } from './peer.js';
import { retire, runStepsYielding, withoutConflicts } from './sources.js';
import { sendSnapshot } from './parts.js';
import { type AggregationMetrics, declareAggregationMetrics, WorkerLink } from './worker-link.js';

// The module's `default` under ESM; the module itself under the CommonJS build (no interop helper).
const cluster: Cluster =
  (nodeCluster as unknown as { default?: Cluster }).default ?? (nodeCluster as unknown as Cluster);

/** Options of {@link MetricsAggregator}. */
export interface MetricsAggregatorOptions {
  /**
   * The aggregating process's own metrics (its process metrics, say), merged in; also where the
   * aggregator's `promlite_aggregation_*` metrics and a handler's `promlite_scrape_*` go.
   * Default: a new, empty `Registry`.
   */
  readonly registry?: Registry | undefined;
  /** How long a scrape waits for each worker; one that has not answered contributes its last snapshot. Default 2,000 ms. */
  readonly timeoutMs?: number | undefined;
  /** How gauge families are merged (see `mergeSnapshots`); sources are named `aggregator`, `retired`, then each worker's name. Default `sum`. */
  readonly gauges?: MergeOptions['gauges'];
  /** Aggregate the `node:cluster` workers of this primary (those alive now and every later fork). Default `true`. */
  readonly cluster?: boolean | undefined;
}

/** Options of {@link MetricsAggregator.addWorker}. */
export interface AddWorkerOptions {
  /** The worker's name as a source (`perSource` gauges' label value). Default `thread-<threadId>`, or `port-<n>`. */
  readonly name?: string | undefined;
}

const isGauges: OptionCheck = (value) => {
  try {
    mergeSnapshotsSteps([], { gauges: value as MergeOptions['gauges'] });
    return undefined;
  } catch {
    return 'a gauge merge policy, or a function of the family name';
  }
};

/**
 * Merges the metrics of cluster workers and worker threads (each running `shareMetrics`) with
 * its own registry's, on demand. Counters never go backwards: a worker that exits (or stops
 * sharing) leaves its last counters, histograms and summaries' `_sum`/`_count` in the aggregate,
 * accumulated into one retired snapshot, while its gauges go. A worker that does not answer in
 * `timeoutMs` contributes its last snapshot and is counted in
 * `<prefix>promlite_aggregation_timeouts_total`; one that answers garbage, or declares a family
 * unlike the others, contributes nothing there and is counted in
 * `<prefix>promlite_aggregation_errors_total{reason="invalid"|"conflict"}`.
 * @example
 * // In the cluster primary:
 * const aggregator = new MetricsAggregator({ registry });
 * await createMetricsServer({ registry: aggregator, port: 9464 });
 */
export class MetricsAggregator implements SnapshotSource {
  /** The aggregating process's own registry (merged in, and home of the self-metrics). */
  readonly registry: Registry;
  private readonly timeoutMs: number;
  private readonly gauges: MergeOptions['gauges'];
  private readonly workers = new Map<unknown, WorkerLink>();
  private retired: RegistrySnapshot | undefined;
  private round: Promise<RegistrySnapshot> | undefined;
  private nextId = 0;
  private ports = 0;
  private stopWatching: () => void = () => {};
  private readonly metrics: AggregationMetrics;

  /** @throws PromliteError `INVALID_OPTIONS` for a bad or unknown option. */
  constructor(options: MetricsAggregatorOptions = {}) {
    checkOptions('MetricsAggregator', options, {
      registry: isRegistry,
      timeoutMs: integerIn(1, 3_600_000),
      gauges: isGauges,
      cluster: isBoolean,
    });
    this.registry = options.registry ?? new Registry();
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.gauges = options.gauges;
    this.metrics = declareAggregationMetrics(this.registry);
    if (options.cluster !== false && cluster.isPrimary) this.watchCluster();
  }

  /**
   * Aggregates a worker thread (a `Worker`), or any `MessagePort` or child process whose other
   * end runs `shareMetrics`, until it exits or closes. Adding one twice changes nothing.
   * @throws PromliteError `INVALID_OPTIONS` for anything else, or a bad option.
   */
  addWorker(worker: PortLike | IpcLike, options: AddWorkerOptions = {}): void {
    checkArgument('aggregator.addWorker', worker, (value) =>
      isChannelLike(value) ? undefined : 'a Worker, a MessagePort or a child process',
    );
    checkOptions('aggregator.addWorker', options, { name: isString });
    const threadId = (worker as { threadId?: unknown }).threadId;
    const name = options.name ?? (typeof threadId === 'number' ? `thread-${threadId}` : `port-${++this.ports}`);
    this.track(worker, name, true);
  }

  /**
   * The merged snapshot of this registry, the retired workers' counts and every worker's latest
   * snapshot (asked now, waited for up to `timeoutMs`). Calls made while one is under way share
   * it. The merge pauses for the event loop every few milliseconds. Rejects only when the
   * `gauges` option asks for the impossible (a `perSource` label a family already has).
   */
  snapshot(): Promise<RegistrySnapshot> {
    this.round ??= this.collect().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  /** Stops following workers and cluster forks; the aggregate keeps what it has. Never throws. */
  close(): void {
    this.stopWatching();
    for (const tracked of this.workers.values()) tracked.unlisten();
    this.workers.clear();
    this.metrics.workers.set(0);
  }

  private watchCluster(): void {
    const name = (worker: ClusterWorker) => String(worker.id);
    // Workers alive now may have said hello already, before anyone listened: ask them to say it again.
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker === undefined) continue;
      this.track(worker, name(worker), false);
      this.workers.get(worker)?.peer.send({ type: 'hello?' });
    }
    const onFork = (worker: ClusterWorker) => this.track(worker, name(worker), false);
    cluster.on('fork', onFork);
    this.stopWatching = () => cluster.off('fork', onFork);
  }

  private track(end: PortLike | IpcLike, name: string, ready: boolean): void {
    if (this.workers.has(end)) return;
    const peer = peerOf(end);
    const tracked = new WorkerLink(name, peer, ready, this.metrics);
    this.workers.set(end, tracked);
    tracked.unlisten = peer.listen(
      (message) => this.receive(tracked, message),
      () => this.drop(end),
    );
    this.metrics.workers.set(this.workers.size);
  }

  private receive(tracked: WorkerLink, message: ProtocolMessage): void {
    switch (message.type) {
      case 'hello':
        tracked.ready = true;
        return;
      case 'bye':
        for (const [end, each] of this.workers) if (each === tracked) this.drop(end);
        return;
      case 'snapshot':
        tracked.accept(message);
        return;
      case 'ack':
        tracked.acks.acknowledge(message);
        return;
      case 'snapshot?':
      case 'hello?':
        return;
      case 'aggregate?': {
        const { id } = message;
        this.snapshot().then(
          (snapshot) => sendSnapshot(tracked.peer, tracked.acks, 'aggregate', id, snapshot),
          (error: unknown) => tracked.peer.send({ type: 'aggregate', id, error: String((error as Error)?.message) }),
        );
        return;
      }
      case 'aggregate':
        return;
      default:
        message satisfies never;
    }
  }

  /** A worker gone: its counts join the retired ones, its pending answers are given up. */
  private drop(end: unknown): void {
    const tracked = this.workers.get(end);
    if (tracked === undefined) return;
    this.workers.delete(end);
    tracked.unlisten();
    if (tracked.last !== undefined) {
      try {
        this.retired = retire(this.retired, tracked.last);
      } catch {
        // Unreachable for decoded snapshots; the retired counts stay as they were.
      }
      this.metrics.retiredWorkers.inc();
    }
    tracked.abandon();
    this.metrics.workers.set(this.workers.size);
  }

  private async collect(): Promise<RegistrySnapshot> {
    const asked = [...this.workers.values()].filter((tracked) => tracked.ready);
    await Promise.all(asked.map((tracked) => tracked.ask(++this.nextId, this.timeoutMs)));
    // Taken after the workers' answers, so that this round's misses are counted in it.
    const own = await this.registry.snapshotAsync({ timeoutMs: this.timeoutMs });
    // The workers as they are now: one that went meanwhile is in `retired`, counted once.
    const live = [...this.workers.values()].filter((tracked) => tracked.last !== undefined);
    const sources = [
      own,
      ...(this.retired === undefined ? [] : [this.retired]),
      ...live.map((t) => t.last as RegistrySnapshot),
    ];
    const names = ['aggregator', ...(this.retired === undefined ? [] : ['retired']), ...live.map((t) => t.name)];
    const checked = withoutConflicts(sources, () => this.metrics.errors.inc({ reason: 'conflict' }));
    return runStepsYielding(mergeSnapshotsSteps(checked, { sources: names, gauges: this.gauges }));
  }
}
