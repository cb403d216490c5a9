import { describe, expect, it } from 'vitest';
import { formatBound, formatOpenMetricsBound, formatValue } from '../../src/exposition/format-number.js';

describe('formatValue', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%s → %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });

  it('round-trips every value it writes', () => {
    for (const value of [0.1 + 0.2, 123456789.123, 5e-324, 2 ** 53 + 2, -1e-300]) {
      expect(Number(formatValue(value))).toBe(value);
    }
  });
});

// Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints, as client_golang
// writes `le`.
describe('formatBound', () => {
  it.each([
    [0.005, '0.005'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1, '1'],
    [2.5, '2.5'],
    [100000, '100000'],
    [999999, '999999'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [2.5e21, '2.5e+21'],
    [1e100, '1e+100'],
    [-1, '-1'],
    [-1e6, '-1e+06'],
    [0, '0'],
    [Infinity, '+Inf'],
  ])('%s → %s', (bound, expected) => {
    expect(formatBound(bound)).toBe(expected);
  });
});

describe('formatOpenMetricsBound', () => {
  it.each([
    [1, '1.0'],
    [100000, '100000.0'],
    [0, '0.0'],
    [-1, '-1.0'],
    [0.005, '0.005'],
    [1e6, '1e+06'],
    [1e-5, '1e-05'],
    [Infinity, '+Inf'],
  ])('%s → %s', (bound, expected) => {
    expect(formatOpenMetricsBound(bound)).toBe(expected);
  });
});
