import { isMainThread, parentPort } from 'node:worker_threads';
import type { Registry } from '../core/registry.js';
import type { RegistrySnapshot } from '../core/snapshot.js';
import { plainSnapshot } from '../core/series-columns.js';
import type { SnapshotSource } from '../core/snapshot-source.js';
import { PromliteError } from '../errors.js';
import { checkArgument, checkOptions, integerIn, isRegistry, type OptionCheck } from '../options.js';
import { isChannelLike, peerOf, type IpcLike, type PortLike, type ProtocolMessage } from './peer.js';
import { PartAcks, SnapshotAssembler, sendSnapshot } from './parts.js';

/** Options of {@link shareMetrics}. */
export interface ShareMetricsOptions {
  /**
   * The channel to the aggregating side: a `MessagePort` (or anything with `postMessage`, `on`,
   * `off`). Default: `parentPort` in a worker thread, the IPC channel in a cluster worker.
   */
  readonly port?: PortLike | IpcLike | undefined;
  /** How long each snapshot waits for collect functions that return a promise. Default 1,000 ms. */
  readonly collectTimeoutMs?: number | undefined;
  /** How long `aggregate.snapshot()` waits for the aggregator's answer. Default 5,000 ms. */
  readonly aggregateTimeoutMs?: number | undefined;
}

/** The aggregate as a worker sees it: asked from the aggregator on every `snapshot()`. */
export interface AggregateView extends SnapshotSource {
  /** Resolves with the aggregator's merged snapshot; rejects with `AGGREGATE_UNAVAILABLE` when it does not come in time. */
  snapshot(): Promise<RegistrySnapshot>;
  /** The worker's registry, where a handler serving this view keeps its own metrics. */
  readonly registry: Registry;
}

/** What {@link shareMetrics} returns. */
export interface SharedMetrics {
  /**
   * The whole cluster's metrics, asked from the aggregator each time: give it to `metricsHandler`
   * or `createMetricsServer` in a worker, so that whichever worker answers a scrape on a shared
   * port answers the same aggregate. Its `snapshot()` rejects (that scrape gets 500) when the
   * aggregator does not answer in time: never this worker's own numbers alone, which would braid
   * N counters into one series.
   */
  readonly aggregate: AggregateView;
  /** Stops answering (final: the aggregator keeps this worker's counts as a retired worker's). Never throws. */
  stop(): void;
}

const isChannel: OptionCheck = (value) => (isChannelLike(value) ? undefined : 'a MessagePort or an IPC channel');

/**
 * Answers the aggregating side's requests for `registry`'s snapshot (taken with
 * `snapshotAsync`, so async collect functions work): in a worker thread over `parentPort`, in
 * a cluster worker (or any child process with IPC) over `process.send`, or over `options.port`.
 * Sends plain snapshots, never text; messages carry a `promlite` key, so that the application's
 * own message listeners can tell them apart. While it shares, its listener keeps the channel
 * (and so the thread or process) alive; `stop()` lets go. Never throws once started, and a
 * primary that is gone is simply no longer answered.
 * @throws PromliteError `INVALID_OPTIONS` for a bad registry or option, or when there is no
 *   channel: not a worker thread, not a child process with IPC, and no `port`.
 * @example
 * // In each cluster worker (the primary runs a MetricsAggregator):
 * const sharing = shareMetrics(registry);
 * http.createServer(metricsHandler(sharing.aggregate)).listen(9464);
 */
export function shareMetrics(registry: Registry, options: ShareMetricsOptions = {}): SharedMetrics {
  checkArgument('shareMetrics', registry, isRegistry);
  checkOptions('shareMetrics', options, {
    port: isChannel,
    collectTimeoutMs: integerIn(1, 3_600_000),
    aggregateTimeoutMs: integerIn(1, 3_600_000),
  });
  const end = options.port ?? defaultChannel();
  if (end === undefined) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      'shareMetrics: not in a worker thread nor a cluster worker (no parentPort, no process.send); pass options.port',
    );
  }
  const peer = peerOf(end);
  const collectTimeoutMs = options.collectTimeoutMs ?? 1000;
  const aggregateTimeoutMs = options.aggregateTimeoutMs ?? 5000;
  // Requests that arrive while a snapshot is being taken share it.
  let taking: Promise<RegistrySnapshot> | undefined;
  const take = () => {
    taking ??= registry.snapshotAsync({ timeoutMs: collectTimeoutMs }).finally(() => {
      taking = undefined;
    });
    return taking;
  };
  // Each pending aggregate request: settled with the snapshot, why there is none, or `undefined` (no answer).
  const waiting = new Map<number, (answer: RegistrySnapshot | string | undefined) => void>();
  const assembler = new SnapshotAssembler();
  const acks = new PartAcks();
  let nextId = 0;
  let stopped = false;
  const onMessage = (message: ProtocolMessage) => {
    if (stopped) return;
    if (message.type === 'hello?') peer.send({ type: 'hello' });
    else if (message.type === 'snapshot?') {
      const { id } = message;
      take().then(
        (snapshot) => sendSnapshot(peer, acks, 'snapshot', id, snapshot),
        () => peer.send({ type: 'snapshot', id, error: 'snapshot failed' }),
      );
    } else if (message.type === 'ack') acks.acknowledge(message);
    else if (message.type === 'aggregate') {
      const settle = waiting.get(message.id);
      if (settle === undefined) return;
      if ('error' in message) settle(message.error ?? 'error');
      else {
        const snapshot = assembler.add(message);
        if (snapshot === 'invalid') settle('the answer was not a snapshot');
        else if (snapshot !== undefined) settle(plainSnapshot(snapshot));
        else peer.send({ type: 'ack', id: message.id, part: message.part as number });
      }
    }
  };
  const unlisten = peer.listen(onMessage, () => {
    acks.clear();
    for (const settle of waiting.values()) settle(undefined);
  });
  peer.send({ type: 'hello' });

  const askAggregate = (): Promise<RegistrySnapshot> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => settle(undefined), aggregateTimeoutMs);
      timer.unref();
      const settle = (answer: RegistrySnapshot | string | undefined) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (typeof answer === 'object') resolve(answer);
        else reject(unavailable(answer, aggregateTimeoutMs));
      };
      waiting.set(id, settle);
      if (stopped || !peer.send({ type: 'aggregate?', id })) settle(undefined);
    });

  return {
    aggregate: { snapshot: askAggregate, registry },
    stop() {
      if (stopped) return;
      stopped = true;
      peer.send({ type: 'bye' });
      unlisten();
      acks.clear();
      for (const settle of waiting.values()) settle(undefined);
    },
  };
}

function unavailable(answer: string | undefined, timeoutMs: number): PromliteError {
  const why = answer ?? `no answer within ${timeoutMs} ms, or the channel is closed`;
  return new PromliteError(
    'AGGREGATE_UNAVAILABLE',
    `shareMetrics aggregate: the aggregator's snapshot is unavailable: ${why}`,
  );
}

/** The worker thread's `parentPort`, or this process's IPC channel, if there is one. */
function defaultChannel(): PortLike | IpcLike | undefined {
  if (!isMainThread && parentPort !== null) return parentPort;
  return typeof process.send === 'function' ? (process as IpcLike) : undefined;
}
