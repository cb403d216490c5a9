import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Registry, render } from '../../src/index.js';
import { toWellFormed } from '../../src/core/unicode.js';
import { parseText } from '../support/text-parser.js';

/** Strings rich in what breaks exposition formats: escapes, separators, lone surrogates, astral characters. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '\\',
      '"',
      '\n',
      '\r',
      '\t',
      ',',
      '=',
      '{',
      '}',
      ' ',
      '#',
      'a',
      'é',
      '🚀',
      '\uD800',
      '\uDFFF',
      '\u0000',
    ),
    maxLength: 40,
  }),
);

describe('render → parse round trip', () => {
  it('keeps arbitrary label values and HELP text exactly', () => {
    fc.assert(
      fc.property(
        hostileString,
        fc.uniqueArray(fc.tuple(hostileString, hostileString), {
          minLength: 1,
          maxLength: 8,
          selector: ([a, b]) => `${toWellFormed(a)}\u0001${toWellFormed(b)}`,
        }),
        (help, labelSets) => {
          const registry = new Registry();
          const counter = registry.counter({ name: 'c_total', help: help === '' ? 'x' : help, labelNames: ['a', 'b'] });
          const histogram = registry.histogram({
            name: 'h',
            help: help === '' ? 'x' : help,
            labelNames: ['a', 'b'],
            buckets: [1],
          });
          labelSets.forEach(([a, b], i) => {
            counter.inc({ a, b }, i + 1);
            histogram.observe({ a, b }, i);
          });
          const parsed = parseText(render(registry.snapshot()));
          expect(parsed.help.get('c_total')).toBe(toWellFormed(help === '' ? 'x' : help));
          const counters = parsed.samples.filter((s) => s.name === 'c_total');
          expect(counters).toHaveLength(labelSets.length);
          labelSets.forEach(([a, b], i) => {
            const expected = { a: toWellFormed(a), b: toWellFormed(b) };
            expect(counters.find((s) => s.labels.a === expected.a && s.labels.b === expected.b)?.value).toBe(i + 1);
            const count = parsed.samples.find(
              (s) => s.name === 'h_count' && s.labels.a === expected.a && s.labels.b === expected.b,
            );
            expect(count?.value).toBe(1);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes every finite and special value so that it parses back identically', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 20 }), (values) => {
        const registry = new Registry();
        const gauge = registry.gauge({ name: 'g', help: 'G.', labelNames: ['i'] });
        for (const [i, value] of values.entries()) gauge.set({ i }, value);
        const parsed = parseText(render(registry.snapshot()));
        for (const [i, value] of values.entries())
          expect(parsed.samples.find((s) => s.labels.i === String(i))?.value).toBe(value);
      }),
    );
  });
});

describe('order independence', () => {
  const operation = fc.record({
    metric: fc.constantFrom('c', 'g', 'h'),
    a: fc.constantFrom('x', 'y', 'z', '', 'x,y', 'é'),
    b: fc.constantFrom('1', '2', '10'),
    amount: fc.integer({ min: 0, max: 1000 }),
  });

  it('renders byte-identical text whatever order the same updates arrive in', () => {
    fc.assert(
      fc.property(
        fc
          .array(operation, { maxLength: 60 })
          .chain((ops) =>
            fc.tuple(fc.constant(ops), fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length })),
          ),
        ([ops, shuffled]) => {
          const apply = (sequence: typeof ops) => {
            const registry = new Registry();
            // Registration order follows the operations too.
            for (const op of sequence) {
              const labels = { a: op.a, b: op.b };
              if (op.metric === 'c')
                registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a', 'b'] }).inc(labels, op.amount);
              else if (op.metric === 'g')
                registry.gauge({ name: 'g', help: 'G.', labelNames: ['a', 'b'] }).inc(labels, op.amount);
              else
                registry
                  .histogram({ name: 'h', help: 'H.', labelNames: ['a', 'b'], buckets: [10, 100] })
                  .observe(labels, op.amount);
            }
            return render(registry.snapshot());
          };
          expect(apply(shuffled)).toBe(apply(ops));
        },
      ),
      { numRuns: 300 },
    );
  });
});
