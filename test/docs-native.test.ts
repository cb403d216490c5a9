// docs/native-histograms.md: its examples run, and the options it documents are the ones checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NATIVE } from '../src/core/native-options.js';
import { Registry } from '../src/index.js';
import { examplesIn, itRunsEach, root } from './support/doc-examples.js';

const guide = readFileSync(join(root, 'docs/native-histograms.md'), 'utf8');

describe('docs/native-histograms.md', () => {
  it('documents every native option with its default, and no other', () => {
    const rows = [...guide.matchAll(/^\| `(\w+)` \| `([^`]+)` \|/gm)].map((match) => [match[1], match[2]]);
    expect(rows.map(([name]) => name)).toEqual(Object.keys(DEFAULT_NATIVE));
    expect(rows).toEqual([
      ['bucketFactor', String(DEFAULT_NATIVE.bucketFactor)],
      ['maxBuckets', String(DEFAULT_NATIVE.maxBuckets)],
      ['zeroThreshold', '2^-128'],
    ]);
    expect(DEFAULT_NATIVE.zeroThreshold).toBe(2 ** -128);
    // Any other key is refused, so the table is the whole list.
    expect(() => new Registry().histogram({ name: 'x', help: 'h', native: { schema: 3 } as never })).toThrow(
      /known: bucketFactor, maxBuckets, zeroThreshold/,
    );
  });

  itRunsEach(examplesIn(guide).map((code, i) => [i + 1, code] as const));
});
