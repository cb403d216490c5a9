import { describe, expect, it } from 'vitest';
import { assertLabelNames, assertMetricName, validateBuckets, type MetricType } from '../../src/core/names.js';

describe('assertMetricName', () => {
  it.each<[string, MetricType]>([
    ['jobs_total', 'counter'],
    ['http_requests_total', 'counter'],
    ['a:b_total', 'counter'],
    ['queue_depth', 'gauge'],
    ['_private', 'gauge'],
    ['Temperature', 'gauge'],
    ['request_duration_seconds', 'histogram'],
    // Names services already have (issue 11): text 0.0.4 allows them, promtool only lints them.
    ['http_requests_success', 'counter'],
    ['secrets_total', 'gauge'],
    ['x_count', 'histogram'],
    ['x_sum', 'gauge'],
    ['x_bucket', 'gauge'],
  ])('accepts %s as a %s', (name, type) => {
    expect(() => assertMetricName(name, type)).not.toThrow();
  });

  it.each<[unknown, MetricType, RegExp]>([
    ['', 'gauge', /must match/],
    ['1up', 'gauge', /must match/],
    ['has-dash', 'gauge', /must match/],
    ['has space', 'gauge', /must match/],
    ['ünï', 'gauge', /must match/],
    [42, 'gauge', /must match/],
    ['__reserved', 'gauge', /reserved/],
    ['_total', 'counter', /a counter needs a name before "_total"/],
    ['jobs', 'info', /must end in "_info"/],
  ])('rejects %j as a %s', (name, type, message) => {
    expect(() => assertMetricName(name, type)).toThrow(message);
  });
});

describe('assertLabelNames', () => {
  it('accepts valid, distinct names', () => {
    expect(() => assertLabelNames('m', 'gauge', ['method', 'route', '_x', 'A1'])).not.toThrow();
  });

  it.each<[unknown[], MetricType, RegExp]>([
    [['1a'], 'gauge', /label name "1a" must match/],
    [['a-b'], 'gauge', /must match/],
    [['a:b'], 'gauge', /must match/],
    [[''], 'gauge', /must match/],
    [[7], 'gauge', /label name 7 must match/],
    [['__name__'], 'gauge', /reserved "__"/],
    [['le'], 'histogram', /label "le" is reserved/],
    [['a', 'a'], 'gauge', /label "a" is declared twice/],
  ])('rejects %j on a %s', (names, type, message) => {
    expect(() => assertLabelNames('m', type, names)).toThrow(message);
  });

  it('allows le outside histograms', () => {
    expect(() => assertLabelNames('m', 'gauge', ['le'])).not.toThrow();
  });
});

describe('validateBuckets', () => {
  it.each([[[1]], [[0.1, 1, 10]], [[-5, 0, 5]]])('accepts %j', (buckets) => {
    expect(validateBuckets(buckets)).toBeUndefined();
  });

  it.each<[unknown[], RegExp]>([
    [[], /at least one/],
    [[1, 1], /not greater/],
    [[2, 1], /not greater/],
    [[1, NaN], /finite/],
    [[1, Infinity], /\+Inf is added for you/],
    [['1'], /finite numbers/],
  ])('rejects %j', (buckets, message) => {
    expect(validateBuckets(buckets)).toMatch(message);
  });
});
