// Snapshots in columns, as the aggregator receives them: split into parts and put back together
// through JSON, label rows taken from the previous snapshot, garbage refused, and merged exactly
// as the same snapshots as objects.
import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { PartAcks, SERIES_PER_PART, SnapshotAssembler, sendSnapshot, splitSnapshot } from '../../src/cluster/parts.js';
import { peerOf } from '../../src/cluster/peer.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/cluster/wire.js';
import { ColumnFamily, plainSnapshot } from '../../src/core/series-columns.js';
import { mergeSnapshots, Registry, type RegistrySnapshot, render } from '../../src/index.js';

/** A registry of `routes` × 2 series in each of a counter, a gauge, a histogram and a summary. */
function busyRegistry(routes: number, offset = 0): Registry {
  const registry = new Registry();
  const labelNames = ['method', 'route'] as const;
  const requests = registry.counter({ name: 'requests_total', help: 'R.', labelNames });
  const inFlight = registry.gauge({ name: 'in_flight', help: 'F.', labelNames });
  const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames, buckets: [0.1, 1, 10] });
  const sizes = registry.summary({ name: 'sizes_bytes', help: 'S.', labelNames: ['route'], percentiles: [0.5] });
  for (let i = 0; i < routes; i++) {
    for (const method of ['GET', 'POST']) {
      const labels = { method, route: `/r/${i}` };
      requests.inc(labels, i + offset + 1);
      inFlight.set(labels, i % 3);
      latency.observe(labels, (i % 20) / 4);
    }
    sizes.observe({ route: `/r/${i}` }, i);
  }
  inFlight.set({ method: 'GET', route: '/odd' }, Number.NaN);
  // Series with an exemplar are merged the general way, the others straight from their columns.
  if (offset === 2) requests.labels({ method: 'GET', route: '/r/1' }).inc(1, { trace_id: 'abc' });
  latency.observe({ method: 'GET', route: '/odd' }, Infinity);
  return registry;
}

/** Sends `snapshot` the way sendSnapshot does (parts through JSON) into `assembler`; returns what it assembled. */
function throughParts(
  assembler: SnapshotAssembler,
  id: number,
  snapshot: RegistrySnapshot,
  previous?: RegistrySnapshot,
) {
  const parts = splitSnapshot(snapshot);
  let result: RegistrySnapshot | 'invalid' | undefined;
  parts.forEach((families, part) => {
    const message = JSON.parse(
      JSON.stringify({ id, part, parts: parts.length, snapshot: encodeSnapshot({ families }) }),
    );
    result = assembler.add(message, previous);
  });
  return result;
}

describe('snapshots in columns', () => {
  it('come back whole from many parts, every series equal, rendered byte for byte', () => {
    const snapshot = busyRegistry(700).snapshot();
    const parts = splitSnapshot(snapshot);
    expect(parts.length).toBeGreaterThan((700 * 2 * 3 + 700) / SERIES_PER_PART);
    const assembled = throughParts(new SnapshotAssembler(), 1, snapshot) as RegistrySnapshot;
    expect(assembled.families.every((family) => family instanceof ColumnFamily)).toBe(true);
    expect(plainSnapshot(assembled)).toEqual(snapshot);
    expect(render(assembled)).toBe(render(snapshot));
  });

  it("take label rows from the worker's previous snapshot, and only the equal ones", () => {
    const assembler = new SnapshotAssembler();
    const first = throughParts(assembler, 1, busyRegistry(600).snapshot()) as RegistrySnapshot;
    const registry = busyRegistry(600, 5);
    registry
      .counter({ name: 'requests_total', help: 'R.', labelNames: ['method', 'route'] })
      .inc({ method: 'PUT', route: '/r/300' });
    const second = throughParts(assembler, 2, registry.snapshot(), first) as RegistrySnapshot;
    const rows = (snapshot: RegistrySnapshot, name: string) => {
      const family = snapshot.families.find((each) => each.name === name) as unknown as ColumnFamily;
      return family.columns.rows;
    };
    const before = rows(first, 'requests_total');
    const after = rows(second, 'requests_total');
    expect(after.length).toBe(before.length + 1);
    const fresh = after.filter((row) => !before.includes(row));
    expect(fresh).toEqual([['PUT', '/r/300']]);
    // The values are the new ones all the same.
    expect(plainSnapshot(second)).toEqual(registry.snapshot());
  });

  it('are refused when a column is malformed', () => {
    const wire = () => JSON.parse(JSON.stringify(encodeSnapshot(busyRegistry(3).snapshot())));
    const spoil = (change: (family: { labels: unknown[]; values: unknown[]; extras?: unknown }) => void) => {
      const message = wire();
      change(message.families.find((family: { name: string }) => family.name === 'latency_seconds'));
      return decodeSnapshot(message);
    };
    expect(spoil(() => {})).toBeDefined();
    expect(spoil((family) => family.labels.pop())).toBeUndefined();
    expect(spoil((family) => family.values.pop())).toBeUndefined();
    expect(spoil((family) => (family.values[0] = 'lots'))).toBeUndefined();
    expect(spoil((family) => (family.values[0] = null))).toBeUndefined();
    expect(spoil((family) => (family.labels[0] = 7))).toBeUndefined();
    expect(spoil((family) => family.labels.reverse())).toBeUndefined();
    expect(spoil((family) => (family.extras = [null]))).toBeUndefined();
    expect(spoil((family) => (family.extras = Array.from({ length: 7 }, () => ({ surprise: 1 }))))).toBeUndefined();
  });

  it('merge exactly as the same snapshots as objects do', () => {
    const snapshots = [busyRegistry(300), busyRegistry(450, 2), busyRegistry(10, 7)].map((registry) =>
      registry.snapshot(),
    );
    const columns = snapshots.map(
      (snapshot, id) => throughParts(new SnapshotAssembler(), id, snapshot) as RegistrySnapshot,
    );
    for (const gauges of ['sum', 'max', 'first', { perSource: 'worker' }] as const) {
      const options = { gauges, sources: ['a', 'b', 'c'] };
      expect(mergeSnapshots(columns, options)).toEqual(mergeSnapshots(snapshots, options));
    }
    expect(mergeSnapshots([columns[0] as RegistrySnapshot])).toEqual(snapshots[0]);
  });

  it('go one part at a time: each once the one before it was acknowledged', async () => {
    const { port1, port2 } = new MessageChannel();
    const received: { id: number; part: number }[] = [];
    port2.on('message', (message: { id: number; part: number }) => received.push(message));
    const acks = new PartAcks();
    const snapshot = busyRegistry(300).snapshot();
    const sent = sendSnapshot(peerOf(port1), acks, 'snapshot', 7, snapshot);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
    await settle();
    expect(received.map((message) => message.part)).toEqual([0]);
    acks.acknowledge({ id: 7, part: 5 }); // not the part waited for
    acks.acknowledge({ id: 8, part: 0 }); // not the snapshot
    await settle();
    expect(received).toHaveLength(1);
    acks.acknowledge({ id: 7, part: 0 });
    await settle();
    expect(received.map((message) => message.part)).toEqual([0, 1]);
    acks.clear(); // the channel went: the sender gives up
    await sent;
    expect(received).toHaveLength(2);
    expect(splitSnapshot(snapshot).length).toBeGreaterThan(2);
    port1.close();
  });
});
