import { Registry } from '../src/index.js';
import { heapGrowth } from './harness.js';
function fill(series: number, kind: string) {
  const registry = new Registry({ maxSeriesPerMetric: 1_000_000 });
  const counter = registry.counter({ name: 'requests_total', help: 'Requests.', labelNames: ['service', 'route'] });
  const histogram = registry.histogram({ name: 'request_duration_seconds', help: 'Latency.', labelNames: ['service', 'route'] });
  for (let i = 0; i < series / 2; i++) {
    const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
    if (kind !== 'h') counter.inc(labels, i);
    if (kind !== 'c') histogram.observe(labels, (i % 100) * 0.01);
  }
  return registry;
}
for (const kind of ['c', 'h', 'both']) console.log(kind, (heapGrowth(() => fill(100000, kind)) / (kind === 'both' ? 100000 : 50000)).toFixed(0));
