// The benchmark floor (bench/floor/) must do the same work as promlite, or its ratios mean
// nothing: for the benchmark's workload it writes exactly promlite's bytes.
import { describe, expect, it } from 'vitest';
import { FloorBuffer, FloorCounter, FloorHistogram, renderFloor } from '../bench/floor/floor-registry.js';
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
    // A small buffer, so that it grows while the render writes into it; then a second render into it.
    const buffer = new FloorBuffer();
    buffer.memory = Buffer.alloc(100);
    const expected = render(fillPromlite(2000).snapshot());
    expect(renderFloor(histogram, counter, buffer).toString()).toBe(expected);
    expect(renderFloor(histogram, counter, buffer).toString()).toBe(expected);
  });

  it('escapes label values as promlite does', () => {
    const counter = new FloorCounter('requests_total');
    counter.inc({ service: 'a"b\\c\nd', route: '/' });
    const text = renderFloor(new FloorHistogram('request_duration_seconds'), counter, new FloorBuffer()).toString();
    expect(text).toContain('requests_total{service="a\\"b\\\\c\\nd",route="/"} 1\n');
  });
});
