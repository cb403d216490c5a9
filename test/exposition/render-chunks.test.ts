import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { Registry, render, renderChunks, renderOpenMetrics, renderOpenMetricsChunks } from '../../src/index.js';
import { GOLDEN_CASES } from './golden-cases.js';

function bigRegistry(): Registry {
  const registry = new Registry();
  const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['i'] });
  const histogram = registry.histogram({ name: 'h_seconds', help: 'H.', labelNames: ['i'] });
  for (let i = 0; i < 3000; i++) {
    counter.inc({ i: `ü${i}` }, i);
    histogram.observe({ i }, i / 1000);
  }
  return registry;
}

describe('renderChunks', () => {
  it.each([1, 1000, 64 * 1024, 10_000_000])(
    'joins to exactly the bytes of the rendered string with chunks of %i bytes',
    (chunkSize) => {
      const snapshot = bigRegistry().snapshot();
      const chunks = [...renderChunks(snapshot, chunkSize)];
      expect(Buffer.concat(chunks).equals(Buffer.from(render(snapshot)))).toBe(true);
      expect(
        Buffer.concat([...renderOpenMetricsChunks(snapshot, chunkSize)]).equals(
          Buffer.from(renderOpenMetrics(snapshot)),
        ),
      ).toBe(true);
      if (chunkSize === 64 * 1024) {
        expect(chunks.length).toBeGreaterThan(3);
        // Cut between batches of series: never far above the asked size.
        for (const chunk of chunks) expect(chunk.length).toBeLessThan(chunkSize * 2);
      }
    },
  );

  it('matches every golden case', () => {
    for (const { build } of GOLDEN_CASES) {
      const snapshot = build();
      expect(Buffer.concat([...renderChunks(snapshot, 100)]).equals(Buffer.from(render(snapshot)))).toBe(true);
    }
  });
});

describe('chunk sizes from plain JavaScript', () => {
  it.each([0, -1, 1.5, Number.NaN, '64' as unknown as number])('refuses %j at the call', (size) => {
    const snapshot = new Registry().snapshot();
    expect(() => renderChunks(snapshot, size)).toThrow(/render: chunkSize must be a positive integer/);
    expect(() => renderOpenMetricsChunks(snapshot, size)).toThrow(/render: chunkSize must be a positive integer/);
  });
});
