// One worker as the aggregator follows it: asked for snapshots, its latest one kept.
import type { Counter } from '../core/counter.js';
import type { Gauge } from '../core/gauge.js';
import type { Registry } from '../core/registry.js';
import type { RegistrySnapshot } from '../core/snapshot.js';
import type { Peer } from './peer.js';
import { PartAcks, SnapshotAssembler, type SnapshotPart } from './parts.js';

/** The aggregator's `promlite_aggregation_*` metrics. */
export interface AggregationMetrics {
  readonly timeouts: Counter;
  readonly errors: Counter<'reason'>;
  readonly retiredWorkers: Counter;
  readonly workers: Gauge;
}

/** Declares the aggregator's metrics in its registry: no label grows with workers or restarts. */
export function declareAggregationMetrics(registry: Registry): AggregationMetrics {
  return {
    timeouts: registry.counter({
      name: 'promlite_aggregation_timeouts_total',
      help: 'Workers that did not answer a scrape within the timeout; their last snapshot was used.',
    }),
    errors: registry.counter({
      name: 'promlite_aggregation_errors_total',
      help: 'Worker answers left out of a scrape, by reason: invalid (not a snapshot), conflict (a family declared unlike the others).',
      labelNames: ['reason'],
    }),
    retiredWorkers: registry.counter({
      name: 'promlite_aggregation_retired_workers_total',
      help: 'Workers gone (exited, or stopped sharing) whose last counts stay in the aggregate.',
    }),
    workers: registry.gauge({ name: 'promlite_aggregation_workers', help: 'Workers sharing their metrics now.' }),
  };
}

/** A worker being aggregated: its channel, whether it shares, and its latest snapshot. */
export class WorkerLink {
  readonly name: string;
  readonly peer: Peer;
  /** Asked on scrapes: it said hello, or was handed over explicitly. */
  ready: boolean;
  /** Its latest snapshot, if it ever answered. */
  last: RegistrySnapshot | undefined;
  /** The request id of `last`: an answer to an older request is stale. */
  private lastId = 0;
  /** Requests not yet answered, timed out or given up: at most one per scrape, each with a deadline. */
  private readonly waiting = new Map<number, () => void>();
  private readonly metrics: AggregationMetrics;
  private readonly assembler = new SnapshotAssembler();
  /** Acknowledgements of the aggregate parts sent to it. */
  readonly acks = new PartAcks();
  unlisten: () => void = () => {};

  constructor(name: string, peer: Peer, ready: boolean, metrics: AggregationMetrics) {
    this.name = name;
    this.peer = peer;
    this.ready = ready;
    this.metrics = metrics;
  }

  /**
   * Asks for a snapshot; resolves once it came, `timeoutMs` passed (counted as a timeout) or the
   * worker went. Never rejects.
   */
  ask(id: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiting.delete(id)) {
          this.metrics.timeouts.inc();
          resolve();
        }
      }, timeoutMs);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve();
      });
      if (!this.peer.send({ type: 'snapshot?', id })) this.waiting.get(id)?.();
    });
  }

  /**
   * Takes one part of an answer: once whole, a fresher valid snapshot becomes `last`; an answer
   * that is not one is counted invalid. Either settles the request.
   */
  accept(message: SnapshotPart & { readonly error?: string }): void {
    const snapshot = 'error' in message ? 'invalid' : this.assembler.add(message, this.last);
    if (snapshot === undefined) {
      // More parts to come: the worker sends the next once it knows this one arrived.
      this.peer.send({ type: 'ack', id: message.id, part: message.part as number });
      return;
    }
    if (snapshot === 'invalid') this.metrics.errors.inc({ reason: 'invalid' });
    else if (message.id > this.lastId) {
      this.last = snapshot;
      this.lastId = message.id;
    }
    this.waiting.get(message.id)?.();
  }

  /** Gives up every pending request (the worker went). */
  abandon(): void {
    this.acks.clear();
    for (const settle of [...this.waiting.values()]) settle();
  }
}
