// The benchmark floor (bench/floor/) must do the same work as promlite, or its ratios mean
// nothing: for the benchmark's workload it writes exactly promlite's bytes.
import { describe, expect, it } from 'vitest';
import { FloorCounter, FloorHistogram, renderFloor } from '../bench/floor/floor-registry.js';
import { fillPromlite } from '../bench/registries.js';
import { render } from '../src/index.js';

describe('bench/floor', () => {
  it('renders the workload byte for byte as promlite does', () => {
    const counter = new FloorCounter('requests_total');
    const histogram = new FloorHistogram('request_duration_seconds');
    for (let i = 0; i < 2000 / 2; i++) {
      const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
      counter.inc(labels, i);
      histogram.observe(labels, (i % 100) * 0.01);
    }
    const floor = Buffer.concat(renderFloor(histogram, counter)).toString();
    expect(floor).toBe(render(fillPromlite(2000).snapshot()));
  });

  it('escapes label values as promlite does', () => {
    const counter = new FloorCounter('requests_total');
    counter.inc({ service: 'a"b\\c\nd', route: '/' });
    const text = Buffer.concat(renderFloor(new FloorHistogram('request_duration_seconds'), counter)).toString();
    expect(text).toContain('requests_total{service="a\\"b\\\\c\\nd",route="/"} 1\n');
  });
});
