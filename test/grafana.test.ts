// grafana/promlite-dashboard.json: its structure, and its meaning — every panel's PromQL runs
// against a real Prometheus scraping the demo and returns data. Two of them scrape it: one with
// native histograms, where every panel must answer (the demo's request latency is native there,
// and its classic buckets are not stored), and one without, where every panel must answer but
// those that declare they need native histograms — and those must be empty there, or the
// declaration would be false.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startDemo } from './support/demo.js';
import { eventually, type RunningPrometheus, startPrometheus } from './support/prometheus.js';

interface Target {
  readonly expr: string;
  readonly refId: string;
  readonly datasource?: { type: string; uid: string };
  readonly exemplar?: boolean;
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: { type: string; uid: string };
  readonly targets?: readonly Target[];
}
interface Dashboard {
  readonly uid: string;
  readonly schemaVersion: number;
  readonly templating: { list: { name: string; type: string; allValue?: string; datasource?: { uid: string } }[] };
  readonly panels: readonly Panel[];
}

const dashboard = JSON.parse(
  readFileSync(new URL('../grafana/promlite-dashboard.json', import.meta.url), 'utf8'),
) as Dashboard;
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a template literal
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** A panel needs native histograms when its description, which the person reading it sees, says so. */
const needsNative = (panel: Panel) =>
  /\bNeeds Prometheus .*?--enable-feature=native-histograms\b/.test(panel.description ?? '');
const nativePanels = dashboard.panels.filter(needsNative);

/** What Grafana would substitute, with every variable at "All": its `allValue`. */
function substitute(expr: string): string {
  let query = expr.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '15s');
  for (const { name, allValue } of dashboard.templating.list) {
    if (allValue !== undefined) query = query.replaceAll(`$${name}`, allValue);
  }
  return query;
}

describe('grafana/promlite-dashboard.json: structure', () => {
  it('has a stable uid, a pinned schema version and the template variables', () => {
    expect(dashboard.uid).toBe('promlite-overview');
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'job', 'instance', 'kind']);
    expect(dashboard.templating.list[0]?.type).toBe('datasource');
    for (const variable of dashboard.templating.list.slice(1)) expect(variable.datasource).toEqual(DATASOURCE);
  });

  it('has at least eight panels with unique ids, well-supported types, and targets on the datasource variable', () => {
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect(['timeseries', 'stat', 'table'], panel.title).toContain(panel.type);
      expect(panel.datasource, panel.title).toEqual(DATASOURCE);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource, `${panel.title} ${target.refId}`).toEqual(DATASOURCE);
        expect(target.expr, panel.title).not.toBe('');
      }
    }
  });

  it('has a panel over the native request-latency histogram, with exemplars on every target', () => {
    expect(nativePanels.map((p) => p.title)).toEqual(['HTTP latency p50 / p90 / p99 by route (native histogram)']);
    for (const panel of nativePanels) {
      for (const target of panel.targets ?? []) {
        expect(target.exemplar, `${panel.title} ${target.refId}`).toBe(true);
        // The native series has the family's own name: no _bucket, no `le`.
        expect(target.expr).toMatch(/rate\(http_request_duration_seconds\{/);
        expect(target.expr).not.toMatch(/_bucket|\ble\b/);
      }
    }
  });
});

interface StoredExemplars {
  readonly seriesLabels: Record<string, string>;
  readonly exemplars: { labels: Record<string, string>; value: string }[];
}

/** The trace ids Prometheus stored as exemplars of `query`'s series over the last ten minutes. */
async function traceIds(prometheus: RunningPrometheus, query: string): Promise<string[] | undefined> {
  const now = Date.now() / 1000;
  const stored = await prometheus.api<StoredExemplars[]>(
    `/api/v1/query_exemplars?query=${encodeURIComponent(query)}&start=${now - 600}&end=${now + 60}`,
  );
  const ids = stored.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id ?? ''));
  return ids.length > 0 ? ids : undefined;
}

describe('grafana/promlite-dashboard.json: every query returns data', () => {
  it('against real Prometheus servers scraping the demo, with and without native histograms', async () => {
    const demo = await startDemo({});
    const target = new URL(demo.url);
    const jobs = [{ name: 'promlite-demo', target: target.host, metricsPath: target.pathname }];
    const servers: RunningPrometheus[] = [];
    try {
      const native = await startPrometheus(jobs, { flags: ['--enable-feature=native-histograms,exemplar-storage'] });
      servers.push(native);
      const classic = await startPrometheus(jobs, { flags: ['--enable-feature=exemplar-storage'] });
      servers.push(classic);
      for (const prometheus of servers) {
        await eventually(
          async () => ((await prometheus.targets()).every((t) => t.health === 'up') ? true : undefined),
          45_000,
          async () => JSON.stringify(await prometheus.targets()),
        );
      }
      // Rates need a few scrapes inside their window, and the demo some finished jobs: ask each
      // query again until it answers, however long a busy machine takes to get there.
      const queries = dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).map(({ expr, refId }) => ({
          name: `${panel.title} (${refId})`,
          query: substitute(expr),
          native: needsNative(panel),
        })),
      );
      let empty = [
        ...queries.map((q) => ({ ...q, server: native, on: 'native' })),
        ...queries.filter((q) => !q.native).map((q) => ({ ...q, server: classic, on: 'classic' })),
      ];
      await eventually(
        async () => {
          const answered = await Promise.all(
            empty.map(async ({ query, server }) => (await server.query(query)).length > 0),
          );
          empty = empty.filter((_, i) => !answered[i]);
          return empty.length === 0 ? true : undefined;
        },
        60_000,
        () => 'some panels stayed empty',
      ).catch(() => undefined);
      expect(empty.map(({ name, query, on }) => `${name} on ${on}: ${query}`)).toEqual([]);

      // Without the flag the native series does not exist: the panels that say they need it do.
      for (const { name, query } of queries.filter((q) => q.native)) {
        expect(await classic.query(query), name).toEqual([]);
      }
      // The native panel's exemplars: the demo's trace ids, stored on the native series (2.42
      // keeps one per native histogram and scrape) and, without the flag, on the classic buckets.
      for (const [prometheus, series] of [
        [native, 'http_request_duration_seconds'],
        [classic, 'http_request_duration_seconds_bucket'],
      ] as const) {
        const ids = await eventually(
          () => traceIds(prometheus, `${series}{job="promlite-demo"}`),
          30_000,
          () => `no exemplar of ${series} stored`,
        );
        for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
      }
    } finally {
      for (const prometheus of servers) await prometheus.stop();
      await demo.stop();
    }
  }, 240_000);
});
