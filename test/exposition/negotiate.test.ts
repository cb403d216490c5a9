import { describe, expect, it } from 'vitest';
import { acceptsGzip, negotiateFormat } from '../../src/exposition/negotiate.js';
import { PROMETHEUS_2_ACCEPT, PROMETHEUS_2_NATIVE_ACCEPT, PROMETHEUS_3_ACCEPT } from '../support/accept-headers.js';

const PROMETHEUS_3_PROTOBUF_FIRST = `application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,${PROMETHEUS_3_ACCEPT}`;

describe('negotiateFormat', () => {
  it.each([
    ['Prometheus 2', PROMETHEUS_2_ACCEPT, 'openmetrics'],
    ['Prometheus 3', PROMETHEUS_3_ACCEPT, 'openmetrics'],
    ['Prometheus 3, protobuf first', PROMETHEUS_3_PROTOBUF_FIRST, 'protobuf'],
    ['Prometheus 2.42 with native histograms', PROMETHEUS_2_NATIVE_ACCEPT, 'protobuf'],
    [
      'protobuf named, but less preferred',
      `application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.2,${PROMETHEUS_2_ACCEPT}`,
      'openmetrics',
    ],
    [
      'protobuf without encoding=delimited',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily',
      'text',
    ],
    ['protobuf of another message', 'application/vnd.google.protobuf;proto=other.Message;encoding=delimited', 'text'],
    [
      'protobuf text encoding',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text',
      'text',
    ],
    [
      'protobuf refused with q=0',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0,text/plain',
      'text',
    ],
    ['wildcards never mean protobuf', 'application/*, */*', 'openmetrics'],
    [
      'protobuf over text at equal q: first listed',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited, text/plain',
      'protobuf',
    ],
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
    // A range with a q outside RFC 9110's qvalue grammar is dropped, as if absent: not q=1, not q=0.
    ['q=-1 drops the range (not q=1)', 'text/plain;q=-1, application/openmetrics-text;q=0.5', 'openmetrics'],
    ['q=abc drops the range (not q=1)', 'text/plain;q=abc, application/openmetrics-text;q=0.5', 'openmetrics'],
    [
      'q=7 drops the range (not q=0)',
      'application/openmetrics-text;q=7, application/*;q=0.5, text/plain;q=0.1',
      'openmetrics',
    ],
    ['q=1.5 drops the range (not q=0)', 'text/plain;q=1.5, */*;q=0.9, application/openmetrics-text;q=0.5', 'text'],
    ['q=1.0001 drops the range', 'text/plain;q=1.0001, */*;q=0.9, application/openmetrics-text;q=0.5', 'text'],
    ['q=0.1234 drops the range', 'text/plain;q=0.1234, application/openmetrics-text;q=0.1', 'openmetrics'],
    ['q=.5 drops the range', 'text/plain;q=.5, application/openmetrics-text;q=0.1', 'openmetrics'],
    ['an empty q drops the range', 'text/plain;q=, application/openmetrics-text;q=0.1', 'openmetrics'],
    ['q=1.000 is valid', 'text/plain;q=1.000, application/openmetrics-text;q=0.999', 'text'],
    ['q=0. is valid', 'text/plain;q=0., application/openmetrics-text;q=0.001', 'openmetrics'],
    ['q=1. is valid', 'application/openmetrics-text;q=1., text/plain;q=0.9', 'openmetrics'],
  ])('%s → %s', (_, accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('never answers protobuf when it is turned off', () => {
    expect(negotiateFormat(PROMETHEUS_2_NATIVE_ACCEPT, true, false)).toBe('openmetrics');
    expect(negotiateFormat(PROMETHEUS_2_NATIVE_ACCEPT, false, false)).toBe('text');
    expect(negotiateFormat(PROMETHEUS_2_NATIVE_ACCEPT, false, true)).toBe('protobuf');
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
    // An invalid q drops the entry, as if absent.
    ['gzip;q=-1', false],
    ['gzip;q=abc', false],
    ['gzip;q=1.5', false],
    ['gzip;q=1.5, *', true],
    ['gzip;q=2, *', true],
    ['gzip;q=abc, *;q=0', false],
    ['*;q=7', false],
    ['gzip;q=0.001', true],
    ['gzip;q=1.000', true],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
