import { describe, expect, it } from 'vitest';
import { acceptsGzip, negotiateFormat } from '../../src/index.js';
import { PROMETHEUS_2_ACCEPT, PROMETHEUS_3_ACCEPT } from '../support/accept-headers.js';

const PROMETHEUS_3_PROTOBUF_FIRST =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,' + PROMETHEUS_3_ACCEPT;

describe('negotiateFormat', () => {
  it.each([
    ['Prometheus 2', PROMETHEUS_2_ACCEPT, 'openmetrics'],
    ['Prometheus 3', PROMETHEUS_3_ACCEPT, 'openmetrics'],
    ['Prometheus 3, protobuf first', PROMETHEUS_3_PROTOBUF_FIRST, 'openmetrics'],
    ['no header', undefined, 'text'],
    ['empty header', '', 'text'],
    ['curl', '*/*', 'text'],
    ['a browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8', 'text'],
    ['plain text', 'text/plain', 'text'],
    ['text 0.0.4', 'text/plain; version=0.0.4', 'text'],
    ['OpenMetrics, no version', 'application/openmetrics-text', 'openmetrics'],
    ['OpenMetrics 0.0.1', 'application/openmetrics-text; version=0.0.1', 'openmetrics'],
    ['an OpenMetrics version we do not write', 'application/openmetrics-text; version=2.0.0', 'text'],
    ['OpenMetrics refused with q=0', 'application/openmetrics-text;q=0, */*', 'text'],
    ['text preferred by q', 'application/openmetrics-text;q=0.3, text/plain;q=0.9', 'text'],
    ['OpenMetrics preferred by q', 'text/plain;q=0.3, application/openmetrics-text;q=0.9', 'openmetrics'],
    ['a tie goes to the first listed', 'application/openmetrics-text, text/plain', 'openmetrics'],
    ['a tie goes to the first listed (text)', 'text/plain, application/openmetrics-text', 'text'],
    ['only JSON', 'application/json', 'text'],
    ['upper case and spaces', 'Application/OpenMetrics-Text ; Version=1.0.0 ; q=1', 'openmetrics'],
    ['garbage', ';;;,,,=', 'text'],
  ])('%s → %s', (_, accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('answers text when OpenMetrics is turned off', () => {
    expect(negotiateFormat(PROMETHEUS_2_ACCEPT, false)).toBe('text');
  });
});

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['deflate', false],
    ['gzip;q=0', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['identity', false],
    ['GZIP;Q=0.5', true],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
