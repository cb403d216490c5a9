import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  Registry,
  RenderBuffer,
  render,
  renderChunks,
  renderOpenMetrics,
  renderOpenMetricsChunks,
} from '../../src/index.js';
import { GOLDEN_CASES } from './golden-cases.js';

function filled(series: number): Registry {
  const registry = new Registry();
  const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['i'] });
  const histogram = registry.histogram({ name: 'h_seconds', help: 'H.', labelNames: ['i', 'quoted'] });
  for (let i = 0; i < series; i++) {
    counter.inc({ i: `ü${i}` }, i);
    histogram.observe({ i, quoted: `"${i}"\n` }, i / 1000);
  }
  return registry;
}

describe('rendering into a RenderBuffer', () => {
  it.each([1, 1000, 64 * 1024, Number.POSITIVE_INFINITY])(
    'gives the bytes of the rendered string with chunks of %d bytes, from a buffer that starts too small',
    (chunkSize) => {
      const snapshot = filled(3000).snapshot();
      const buffer = new RenderBuffer(1);
      // Copied at once: the chunks are views of the buffer's memory, which the next render reuses.
      const text = Buffer.concat([...renderChunks(snapshot, chunkSize, buffer)]);
      expect(text.equals(Buffer.from(render(snapshot)))).toBe(true);
      const openMetrics = Buffer.concat([...renderOpenMetricsChunks(snapshot, chunkSize, buffer)]);
      expect(openMetrics.equals(Buffer.from(renderOpenMetrics(snapshot)))).toBe(true);
    },
  );

  it('keeps every chunk of one render intact while the buffer grows under it', () => {
    const snapshot = filled(3000).snapshot();
    const buffer = new RenderBuffer(1024);
    const chunks = [...renderChunks(snapshot, 4096, buffer)];
    expect(chunks.length).toBeGreaterThan(10);
    expect(Buffer.concat(chunks).equals(Buffer.from(render(snapshot)))).toBe(true);
  });

  it('writes the next render over the same memory once it has grown, with the same bytes each time', () => {
    const snapshot = filled(500).snapshot();
    const buffer = new RenderBuffer(1024);
    const first = Buffer.from(renderChunks(snapshot, Number.POSITIVE_INFINITY, buffer).next().value as Buffer);
    const again = renderChunks(snapshot, Number.POSITIVE_INFINITY, buffer).next().value as Buffer;
    const third = renderChunks(snapshot, Number.POSITIVE_INFINITY, buffer).next().value as Buffer;
    expect(again.equals(first)).toBe(true);
    expect(third.buffer).toBe(again.buffer);
    expect(third.byteOffset).toBe(again.byteOffset);
  });

  it('matches every golden case', () => {
    const buffer = new RenderBuffer();
    for (const { build } of GOLDEN_CASES) {
      const snapshot = build();
      const text = Buffer.concat([...renderChunks(snapshot, 100, buffer)]);
      expect(text.equals(Buffer.from(render(snapshot)))).toBe(true);
    }
  });
});
