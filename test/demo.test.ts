// The demo that `make run` starts: it prints where its metrics are, serves jobs that promtool
// accepts, and stops cleanly on Ctrl-C (SIGINT).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PROMETHEUS_2_NATIVE_ACCEPT } from './support/accept-headers.js';
import { promtoolCheckMetrics } from './support/consumers.js';
import { startDemo } from './support/demo.js';
import { eventually } from './support/prometheus.js';
import { decodeFamilies } from './support/protobuf-decode.js';

interface DecodedHistogram {
  readonly schema?: number;
  readonly positiveSpan?: unknown[];
  readonly bucket?: { exemplar?: { label: { name: string; value: string }[] } }[];
}

/**
 * What a Prometheus with native histograms gets for the API's request latency: the schema and the
 * trace ids of its bucket exemplars, once some request has a native bucket and an exemplar.
 */
async function nativeLatency(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: { ...headers, Accept: PROMETHEUS_2_NATIVE_ACCEPT } });
  if (!response.headers.get('content-type')?.startsWith('application/vnd.google.protobuf')) return undefined;
  const family = decodeFamilies(new Uint8Array(await response.arrayBuffer())).find(
    (f) => f.name === 'http_request_duration_seconds',
  );
  const histograms = (family?.metric ?? []).map((m) => m.histogram as DecodedHistogram);
  const traceIds = histograms.flatMap((h) =>
    (h.bucket ?? []).flatMap((b) => b.exemplar?.label.filter((l) => l.name === 'trace_id').map((l) => l.value) ?? []),
  );
  const withSpans = histograms.filter((h) => (h.positiveSpan?.length ?? 0) > 0);
  return withSpans.length > 0 && traceIds.length > 0
    ? {
        schemas: [...new Set(histograms.map((h) => h.schema))],
        traceIds,
        classicBuckets: histograms[0]?.bucket?.length,
      }
    : undefined;
}

describe('examples/demo.ts', () => {
  it('serves job metrics, prints the URL and a curl line, and stops on SIGINT', async () => {
    const demo = await startDemo({ METRICS_TOKEN: 'demo-token' });
    try {
      expect(demo.output()).toContain(`curl -s -H 'Authorization: Bearer $METRICS_TOKEN' ${demo.url}`);
      const text = await eventually(
        async () => {
          const response = await fetch(demo.url, { headers: { Authorization: 'Bearer demo-token' } });
          const body = await response.text();
          return /^job_duration_seconds_count\{kind="send-email",status="success"\} [1-9]/m.test(body)
            ? body
            : undefined;
        },
        15_000,
        () => 'no send-email job recorded',
      );
      expect(text).toMatch(/^job_last_success_timestamp_seconds\{kind="send-email"\} \d+/m);
      // The API's request latency is a native histogram (schema 3) that keeps its 11 classic
      // buckets, with trace ids as exemplars; OpenMetrics carries the exemplars too.
      const auth = { Authorization: 'Bearer demo-token' };
      const latency = await eventually(
        () => nativeLatency(demo.url, auth),
        15_000,
        () => 'no native latency',
      );
      expect(latency.schemas).toEqual([3]);
      expect(latency.classicBuckets).toBe(11);
      for (const id of latency.traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
      const openMetrics = await (
        await fetch(demo.url, { headers: { ...auth, Accept: 'application/openmetrics-text;version=1.0.0' } })
      ).text();
      expect(openMetrics).toMatch(/^http_request_duration_seconds_bucket\{[^}]*\} \d+ # \{trace_id="[0-9a-f]{32}"\} /m);
      // promtool parses it; it lints only the three gauges prom-client named with `_total`,
      // whose names registerProcessMetrics keeps for existing dashboards.
      expect(promtoolCheckMetrics(text)).toEqual({
        status: 3,
        output: ['handles', 'requests', 'resources']
          .map((what) => `nodejs_active_${what}_total non-counter metrics should not have "_total" suffix`)
          .join('\n'),
      });
    } finally {
      expect(await demo.stop('SIGINT')).toBe(0);
    }
    expect(demo.output()).toContain('stopped (SIGINT)');
  }, 40_000);

  it("in cluster mode (METRICS_CLUSTER_WORKERS=2), serves the workers' aggregate on /metrics and the status page", async () => {
    const demo = await startDemo({ METRICS_CLUSTER_WORKERS: '2' });
    try {
      expect(demo.output()).toContain('cluster mode, 2 workers');
      const text = await eventually(
        async () => {
          const body = await (await fetch(demo.url)).text();
          const jobs = /^job_duration_seconds_count\{kind="send-email",status="success"\} [1-9]/m.test(body);
          const api = /^http_requests_total\{[^}]*\} [1-9]/m.test(body);
          return jobs && api && /^promlite_aggregation_workers 2$/m.test(body) ? body : undefined;
        },
        20_000,
        () => `no aggregate of two workers with a send-email job and API requests:\n${demo.output()}`,
      );
      expect(promtoolCheckMetrics(text).output).not.toMatch(/error|duplicate/i);
      // The workers' native buckets and exemplars reach the primary's aggregate.
      const latency = await eventually(
        () => nativeLatency(demo.url),
        15_000,
        () => 'no native latency in the aggregate',
      );
      expect(latency.schemas).toEqual([3]);
      for (const id of latency.traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
      const status = (await (await fetch(demo.url.replace(/\/metrics$/, '/status.json'))).json()) as {
        jobs: { kind: string; runs: number; secondsSinceSuccess: number | null }[];
        health: { status: string };
      };
      const email = status.jobs.find((job) => job.kind === 'send-email');
      expect(email?.runs).toBeGreaterThan(0);
      // The latest success of any worker (max), not a sum of two timestamps, decades ahead.
      const lastSuccess = Number(/^job_last_success_timestamp_seconds\{kind="send-email"\} (\S+)$/m.exec(text)?.[1]);
      expect(lastSuccess).toBeLessThanOrEqual(Date.now() / 1000 + 1);
      expect(lastSuccess).toBeGreaterThan(Date.now() / 1000 - 60);
      expect(status.health.status).toBe('up');
    } finally {
      expect(await demo.stop('SIGINT')).toBe(0);
    }
    expect(demo.output()).toContain('stopped (SIGINT)');
  }, 60_000);

  it('on a busy port, says which port and how to pick another, instead of a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
        cwd: new URL('..', import.meta.url),
        env: { ...process.env, METRICS_PORT: String(port) },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use; pick another with METRICS_PORT`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 40_000);
});
