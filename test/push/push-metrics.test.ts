// pushMetrics against Debian's real Pushgateway (1.5): PUT, POST and DELETE read back from its
// /api/v1/metrics, grouping keys that need base64, the gateway's refusals as PromliteErrors; and
// against local servers for what a gateway cannot show: a closed port, a server that never
// answers, the exact request sent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromliteError } from '../../src/errors.js';
import { render } from '../../src/exposition/text.js';
import { Registry } from '../../src/core/registry.js';
import { type PushOptions, pushMetrics } from '../../src/push/push-metrics.js';
import { eventually, freePort } from '../support/prometheus.js';
import { familyOf, type RunningPushgateway, startPushgateway } from '../support/pushgateway.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let gateway: RunningPushgateway;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  gateway = await startPushgateway();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await gateway?.stop();
});

/** A registry as a batch job would fill it. */
function jobRegistry(processed: number): Registry {
  const registry = new Registry();
  registry
    .counter({ name: 'rows_processed_total', help: 'Rows processed.', labelNames: ['table'] })
    .inc({ table: 'orders' }, processed);
  registry.gauge({ name: 'batch_size', help: 'Rows per batch.' }).set(250);
  registry.observeJob('nightly-report', 'success', 12.5);
  return registry;
}

/** The rejection of `promise`, which must be a PromliteError. */
async function rejectionOf(promise: Promise<unknown>): Promise<PromliteError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PromliteError);
  return error as PromliteError;
}

const valuesOf = async (labels: Record<string, string>, family: string) =>
  familyOf(await gateway.group(labels), family)?.metrics.map((metric) => [metric.labels, metric.value ?? metric.count]);

describe('pushMetrics with a real Pushgateway', () => {
  it('PUT stores every family of the registry in the group, exactly', async () => {
    const registry = jobRegistry(42);
    const result = await pushMetrics({
      url: gateway.url,
      job: 'put-job',
      groupingKey: { instance: 'host-1' },
      registry,
    });
    expect(result).toEqual({ status: 200, url: `${gateway.url}/metrics/job/put-job/instance/host-1` });
    const group = await gateway.group({ job: 'put-job', instance: 'host-1' });
    expect(group?.last_push_successful).toBe(true);
    const rows = familyOf(group, 'rows_processed_total');
    expect(rows).toMatchObject({ type: 'COUNTER', help: 'Rows processed.' });
    expect(rows?.metrics).toEqual([{ labels: { instance: 'host-1', job: 'put-job', table: 'orders' }, value: '42' }]);
    expect(familyOf(group, 'batch_size')?.metrics[0]?.value).toBe('250');
    const duration = familyOf(group, 'job_duration_seconds');
    expect(duration?.type).toBe('HISTOGRAM');
    expect(duration?.metrics[0]).toMatchObject({ count: '1', sum: '12.5' });
    expect(duration?.metrics[0]?.buckets?.['10']).toBe('0');
    expect(duration?.metrics[0]?.buckets?.['30']).toBe('1');
    expect(familyOf(group, 'job_last_success_timestamp_seconds')?.type).toBe('GAUGE');
  });

  it('PUT replaces the whole group; POST replaces only the families it sends', async () => {
    const labels = { job: 'methods-job' };
    await pushMetrics({ url: gateway.url, job: 'methods-job', registry: jobRegistry(1) });
    const onlyRows = new Registry({ prefix: '' });
    onlyRows
      .counter({ name: 'rows_processed_total', help: 'Rows processed.', labelNames: ['table'] })
      .inc({ table: 'orders' }, 7);
    const postResult = await pushMetrics({ url: gateway.url, job: 'methods-job', registry: onlyRows, method: 'POST' });
    expect(postResult.status).toBe(200);
    expect(await valuesOf(labels, 'rows_processed_total')).toEqual([
      [{ ...labels, instance: '', table: 'orders' }, '7'],
    ]);
    expect(await valuesOf(labels, 'batch_size')).toEqual([[{ ...labels, instance: '' }, '250']]);

    await pushMetrics({ url: gateway.url, job: 'methods-job', registry: onlyRows, method: 'PUT' });
    const group = await gateway.group(labels);
    expect(familyOf(group, 'rows_processed_total')).toBeDefined();
    expect(familyOf(group, 'batch_size')).toBeUndefined();
    expect(familyOf(group, 'job_duration_seconds')).toBeUndefined();
  });

  it('DELETE removes the group and leaves the others', async () => {
    await pushMetrics({ url: gateway.url, job: 'delete-job', groupingKey: { shard: '1' }, registry: jobRegistry(1) });
    await pushMetrics({ url: gateway.url, job: 'delete-job', groupingKey: { shard: '2' }, registry: jobRegistry(2) });
    const result = await pushMetrics({
      url: gateway.url,
      job: 'delete-job',
      groupingKey: { shard: '1' },
      method: 'DELETE',
    });
    expect(result.status).toBe(202);
    expect(await gateway.gone({ job: 'delete-job', shard: '1' })).toBe(true);
    expect(await valuesOf({ job: 'delete-job', shard: '2' }, 'rows_processed_total')).toHaveLength(1);
  });

  it.each([
    ['a value with "/"', 'paths', { path: '/var/tmp/reports' }],
    ['an empty value', 'empty', { region: '' }],
    ['values of every base64 padding length', 'padding', { a: 'x/', b: 'xy/', c: 'xyz/' }],
    ['a job with "/"', 'batch/nightly', { instance: 'host-1' }],
    ['spaces, "%", "@" and non-ASCII', 'unicode', { note: 'a b%c@d', city: 'Zürich/Genève', emoji: '🚀' }],
  ])('grouping keys round-trip: %s', async (_, job, groupingKey) => {
    await pushMetrics({ url: gateway.url, job, groupingKey, registry: jobRegistry(3) });
    const group = await gateway.group({ job, ...groupingKey });
    expect(group, JSON.stringify((await gateway.groups()).map((g) => g.labels))).toBeDefined();
    expect(familyOf(group, 'rows_processed_total')?.metrics[0]?.value).toBe('3');
    await pushMetrics({ url: gateway.url, job, groupingKey, method: 'DELETE' });
    expect(await gateway.gone({ job, ...groupingKey })).toBe(true);
  });

  it('an inconsistent push is a PUSH_FAILED error quoting the gateway; the registry is untouched', async () => {
    await pushMetrics({ url: gateway.url, job: 'typed-job', registry: jobRegistry(5) });
    // The same name as a gauge, in another group: the gateway refuses what it could not expose.
    const clash = new Registry();
    const asGauge = clash.gauge({ name: 'rows_processed_total', help: 'Rows processed.' });
    asGauge.set(9);
    const before = clash.snapshot();
    const error = await rejectionOf(
      pushMetrics({ url: gateway.url, job: 'other-job', registry: clash, method: 'POST' }),
    );
    expect(error.code).toBe('PUSH_FAILED');
    expect(error.message).toContain(
      `the Pushgateway answered POST ${gateway.url}/metrics/job/other-job with 400 Bad Request`,
    );
    // Which of the two the gateway names (and how many groups) depends on the order it reads them in.
    expect(error.message).toMatch(
      /: pushed metrics are invalid or inconsistent with existing metrics: .* is not a (COUNTER|GAUGE)/,
    );
    expect(error.message).not.toContain('\n');
    expect(clash.snapshot()).toEqual(before);
    expect((await gateway.group({ job: 'typed-job' }))?.last_push_successful).toBe(true);
  });

  it('a duplicate series is the gateway refusal too (a snapshot given as it is)', async () => {
    const series = { labelValues: ['a'], value: 1 };
    const snapshot = {
      families: [{ type: 'gauge', name: 'dup', help: 'Dup.', labelNames: ['x'], series: [series, series] }],
    } as const;
    const error = await rejectionOf(pushMetrics({ url: gateway.url, job: 'dup-job', snapshot }));
    expect(error.code).toBe('PUSH_FAILED');
    expect(error.message).toContain('was collected before with the same name and label values');
  });

  it('refuses series whose grouping label disagrees, before sending (the gateway would overwrite it)', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'queue_depth', help: 'Depth.', labelNames: ['queue'] }).set({ queue: 'b' }, 3);
    const error = await rejectionOf(
      pushMetrics({ url: gateway.url, job: 'agree-job', groupingKey: { queue: 'a' }, registry }),
    );
    expect(error.code).toBe('INVALID_LABELS');
    expect(error.message).toBe(
      'pushMetrics: gauge "queue_depth" has a series with queue="b", but the grouping key says queue="a" (the Pushgateway would overwrite it): push those series to a group of their own',
    );
    expect(await gateway.group({ job: 'agree-job', queue: 'a' })).toBeUndefined();
    // The same value is what the gateway stores anyway: allowed.
    await pushMetrics({ url: gateway.url, job: 'agree-job', groupingKey: { queue: 'b' }, registry });
    expect(await valuesOf({ job: 'agree-job', queue: 'b' }, 'queue_depth')).toEqual([
      [{ job: 'agree-job', instance: '', queue: 'b' }, '3'],
    ]);
  });

  it('awaits async collect functions; one that hangs is left out, the push still goes', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'queue_length', help: 'From the broker.', collect: () => Promise.resolve(17) });
    registry.gauge({ name: 'stuck', help: 'Never settles.', collect: () => new Promise<number>(() => {}) });
    await pushMetrics({ url: gateway.url, job: 'async-job', registry, timeoutMs: 1000 });
    const group = await gateway.group({ job: 'async-job' });
    expect(familyOf(group, 'queue_length')?.metrics[0]?.value).toBe('17');
    expect(familyOf(group, 'stuck')?.metrics ?? []).toEqual([]);
  });
});

describe('pushMetrics without a gateway', () => {
  let silent: Server;
  let silentUrl: string;
  const requests: { request: IncomingMessage; body: string }[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '' };
  let recorder: Server;
  let recorderUrl: string;

  beforeAll(async () => {
    // Accepts, reads, never answers.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    recorder = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ request, body });
        response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    recorderUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    recorder.closeAllConnections();
    await Promise.all([silent, recorder].map((server) => new Promise((resolve) => server.close(resolve))));
    expect(unhandled).toEqual([]);
  });

  it('a closed port is a PUSH_FAILED error with the network error as cause; the registry is untouched', async () => {
    const port = await freePort();
    const registry = jobRegistry(4);
    const before = registry.snapshot();
    const error = await rejectionOf(pushMetrics({ url: `http://127.0.0.1:${port}`, job: 'refused', registry }));
    expect(error.code).toBe('PUSH_FAILED');
    expect(error.message).toContain(
      `pushMetrics: PUT http://127.0.0.1:${port}/metrics/job/refused failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(registry.snapshot()).toEqual(before);
  });

  it('a server that never answers is a timeout, and the connection is closed', async () => {
    const error = await rejectionOf(
      pushMetrics({ url: silentUrl, job: 'slow', registry: jobRegistry(1), timeoutMs: 300 }),
    );
    expect(error.code).toBe('PUSH_FAILED');
    expect(error.message).toBe(`pushMetrics: PUT ${silentUrl}/metrics/job/slow timed out after 300 ms`);
    // The server hears of the close a moment later.
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        silent.getConnections((failure, count) => (failure ? reject(failure) : resolve(count))),
      );
    await eventually(
      async () => ((await connections()) === 0 ? true : undefined),
      5000,
      () => 'still connected',
    );
  });

  it('a registry whose snapshot never settles is a timeout too', async () => {
    const registry = { snapshotAsync: () => new Promise<never>(() => {}) };
    const error = await rejectionOf(pushMetrics({ url: recorderUrl, job: 'stuck', registry, timeoutMs: 200 }));
    expect(error.message).toBe(`pushMetrics: PUT ${recorderUrl}/metrics/job/stuck timed out after 200 ms`);
  });

  it.each<[string, () => unknown, string]>([
    [
      'throws',
      () => {
        throw new Error('store closed');
      },
      'store closed',
    ],
    ['rejects', () => Promise.reject(new Error('store gone')), 'store gone'],
    ['gives no snapshot', () => Promise.resolve(42), 'it gave 42, not a RegistrySnapshot'],
  ])('a registry whose snapshotAsync %s is a PUSH_FAILED error, nothing sent', async (_, snapshotAsync, message) => {
    requests.length = 0;
    const error = await rejectionOf(
      pushMetrics({
        url: recorderUrl,
        job: 'broken',
        registry: { snapshotAsync } as NonNullable<PushOptions['registry']>,
      }),
    );
    expect(error.code).toBe('PUSH_FAILED');
    expect(error.message).toBe(`pushMetrics: the registry's snapshot failed: ${message}`);
    expect(requests).toEqual([]);
  });

  it('sends the text format with its Content-Type, the headers given, and Basic auth from the URL', async () => {
    requests.length = 0;
    answer = { status: 200, body: '' };
    const registry = jobRegistry(8);
    const url = recorderUrl.replace('http://', 'http://pusher:s%3Acret@');
    const result = await pushMetrics({
      url: `${url}/gateway/`,
      job: 'sent',
      groupingKey: { instance: 'h' },
      registry,
      headers: { 'X-Tenant': 'blue' },
    });
    expect(result.url).toBe(`${recorderUrl}/gateway/metrics/job/sent/instance/h`);
    const [sent] = requests;
    expect(sent?.request.method).toBe('PUT');
    expect(sent?.request.url).toBe('/gateway/metrics/job/sent/instance/h');
    expect(sent?.request.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sent?.request.headers.authorization).toBe(`Basic ${Buffer.from('pusher:s:cret').toString('base64')}`);
    expect(sent?.request.headers['x-tenant']).toBe('blue');
    expect(sent?.body).toBe(render(registry.snapshot()));
  });

  it('DELETE sends no body; a long refusal is quoted truncated, without the credentials', async () => {
    requests.length = 0;
    answer = { status: 503, body: 'x'.repeat(10_000) };
    const url = recorderUrl.replace('http://', 'http://pusher:secret@');
    const error = await rejectionOf(pushMetrics({ url, job: 'gone', method: 'DELETE' }));
    expect(requests[0]?.body).toBe('');
    expect(requests[0]?.request.method).toBe('DELETE');
    expect(error.message).toBe(
      `pushMetrics: the Pushgateway answered DELETE ${recorderUrl}/metrics/job/gone with 503 Service Unavailable: ${'x'.repeat(500)}… (10000 characters)`,
    );
    expect(error.message).not.toContain('secret');
  });

  const registry = new Registry();
  const snapshot = registry.snapshot();
  const url = 'http://127.0.0.1:9';
  it.each<[string, unknown, string]>([
    ['no options', undefined, 'options with "url" and "job" are required'],
    ['an unknown option', { url, job: 'j', registry, push: true }, 'unknown option "push"'],
    ['no url', { job: 'j', registry }, 'option "url" must be an http: or https: URL, got undefined'],
    [
      'an ftp url',
      { url: 'ftp://gw', job: 'j', registry },
      'option "url" must be an http: or https: URL, got "ftp://gw"',
    ],
    [
      'a url with a broken %-escape in its password',
      { url: 'http://u:a%zz@gw', job: 'j', registry },
      'broken %-escape',
    ],
    ['a url with a query', { url: `${url}/?a=1`, job: 'j', registry }, 'without a query or fragment'],
    ['an empty job', { url, job: '', registry }, 'option "job" must be a non-empty string, got ""'],
    ['a job that is a number', { url, job: 7, registry }, 'option "job" must be a string, got 7'],
    ['job in the grouping key', { url, job: 'j', groupingKey: { job: 'x' }, registry }, 'groupingKey label "job"'],
    [
      'a reserved label',
      { url, job: 'j', groupingKey: { __x: 'x' }, registry },
      '"__x": names starting with "__" are reserved',
    ],
    ['an invalid label', { url, job: 'j', groupingKey: { 'a-b': 'x' }, registry }, '"a-b": a label name must match'],
    ['a number value', { url, job: 'j', groupingKey: { a: 1 }, registry }, '"a": the value must be a string, got 1'],
    [
      'both sources',
      { url, job: 'j', registry, snapshot },
      'PUT needs exactly one of "registry" and "snapshot", got both',
    ],
    [
      'no source',
      { url, job: 'j', method: 'POST' },
      'POST needs exactly one of "registry" and "snapshot", got neither',
    ],
    ['DELETE with a registry', { url, job: 'j', method: 'DELETE', registry }, 'leave out "registry" and "snapshot"'],
    [
      'an unknown method',
      { url, job: 'j', method: 'PATCH', registry },
      'option "method" must be "PUT", "POST" or "DELETE"',
    ],
    ['a registry that is not one', { url, job: 'j', registry: {} }, 'option "registry" must be a Registry'],
    ['a snapshot that is not one', { url, job: 'j', snapshot: [] }, 'option "snapshot" must be a RegistrySnapshot'],
    [
      'a zero timeout',
      { url, job: 'j', registry, timeoutMs: 0 },
      'option "timeoutMs" must be an integer from 1 to 600000',
    ],
    [
      'a header push sets',
      { url, job: 'j', registry, headers: { 'Content-Type': 'x' } },
      'header "Content-Type" is not',
    ],
    ['a header with a newline', { url, job: 'j', registry, headers: { 'x-a': 'a\r\nb: c' } }, 'without line breaks'],
  ])('refuses %s with INVALID_OPTIONS', async (_, options, message) => {
    const error = await rejectionOf(pushMetrics(options as PushOptions));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain(message);
    expect(error.message.startsWith('pushMetrics: ')).toBe(true);
  });
});
