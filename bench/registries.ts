// The registry every size benchmark fills, built the same way in promlite and in the peers.
import type promClient from 'prom-client';
import { Registry } from '../src/index.js';

/** The prom-client API, which @prometheus-io/client shares. */
export type PeerModule = typeof promClient;

/** Half counters, half histograms (default 11 buckets), 2 labels, `series` series in all. */
export function fillPromlite(series: number): Registry {
  const registry = new Registry({ maxSeriesPerMetric: 1_000_000 });
  const counter = registry.counter({ name: 'requests_total', help: 'Requests.', labelNames: ['service', 'route'] });
  const histogram = registry.histogram({
    name: 'request_duration_seconds',
    help: 'Latency.',
    labelNames: ['service', 'route'],
  });
  for (let i = 0; i < series / 2; i++) {
    const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
    counter.inc(labels, i);
    histogram.observe(labels, (i % 100) * 0.01);
  }
  return registry;
}

/** The same registry in a peer library. */
export function fillPeer(client: PeerModule, series: number): promClient.Registry {
  const registry = new client.Registry();
  const counter = new client.Counter({
    name: 'requests_total',
    help: 'Requests.',
    labelNames: ['service', 'route'],
    registers: [registry],
  });
  const histogram = new client.Histogram({
    name: 'request_duration_seconds',
    help: 'Latency.',
    labelNames: ['service', 'route'],
    registers: [registry],
  });
  for (let i = 0; i < series / 2; i++) {
    const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
    counter.inc(labels, i);
    histogram.observe(labels, (i % 100) * 0.01);
  }
  return registry;
}
