import { Registry } from '../src/index.js';
import { renderBytes } from '../src/render.js';
const series = Number(process.argv[2] ?? 100000);
const registry = new Registry({ maxSeriesPerMetric: 1_000_000 });
const counter = registry.counter({ name: 'requests_total', help: 'Requests.', labelNames: ['service', 'route'] });
const histogram = registry.histogram({ name: 'request_duration_seconds', help: 'Latency.', labelNames: ['service', 'route'] });
for (let i = 0; i < series / 2; i++) {
  const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
  counter.inc(labels, i);
  histogram.observe(labels, (i % 100) * 0.01);
}
for (let k = 0; k < Number(process.argv[3] ?? 8); k++) { const t = performance.now(); const b = renderBytes(registry.snapshot()); console.log('bytes', (performance.now() - t).toFixed(1), b.length); }
