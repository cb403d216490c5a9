// A cron job's push seen end to end: pushMetrics → a real Pushgateway → a real Prometheus that
// scrapes it with `honor_labels: true` and stores exactly the pushed samples, under the pushed
// job; without honor_labels they land under the gateway's job (`exported_job`). And the Grafana
// dashboard's job panels find the pushed job, which has no `instance` label.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../../src/core/registry.js';
import { render } from '../../src/exposition/text.js';
import { pushMetrics } from '../../src/push/push-metrics.js';
import { pythonParse } from '../support/consumers.js';
import { eventually, type RunningPrometheus, startPrometheus } from '../support/prometheus.js';
import { type RunningPushgateway, startPushgateway } from '../support/pushgateway.js';

interface Dashboard {
  readonly templating: { list: { name: string; allValue?: string }[] };
  readonly panels: { title: string; targets?: { expr: string }[] }[];
}
const dashboard = JSON.parse(
  readFileSync(new URL('../../grafana/promlite-dashboard.json', import.meta.url), 'utf8'),
) as Dashboard;

const JOB = 'nightly-report';
let gateway: RunningPushgateway;
let prometheus: RunningPrometheus | undefined;
let pushedText = '';

beforeAll(async () => {
  gateway = await startPushgateway();
  const registry = new Registry();
  registry
    .counter({ name: 'rows_processed_total', help: 'Rows processed.', labelNames: ['table'] })
    .inc({ table: 'orders' }, 42);
  registry.gauge({ name: 'batch_fill_ratio', help: 'How full the last batch was.' }).set(0.25);
  registry.observeJob(JOB, 'success', 12.5);
  pushedText = render(registry.snapshot());
  await pushMetrics({ url: gateway.url, job: JOB, registry });
  prometheus = await startPrometheus([
    { name: 'pushgateway', target: gateway.host, metricsPath: '/metrics', honorLabels: true },
    { name: 'pushgateway-plain', target: gateway.host, metricsPath: '/metrics' },
  ]);
  // Both scrape jobs have scraped the gateway (they scrape on their own schedules).
  const stored = async (selector: string) => ((await prometheus?.query(selector))?.length ?? 0) > 0;
  await eventually(
    async () =>
      (await stored(`push_time_seconds{job="${JOB}"}`)) && (await stored('push_time_seconds{job="pushgateway-plain"}'))
        ? true
        : undefined,
    45_000,
    async () => `${JSON.stringify(await prometheus?.targets())}\n${prometheus?.log()}`,
  );
}, 90_000);
afterAll(async () => {
  await prometheus?.stop();
  await gateway?.stop();
});

describe('Prometheus scraping the Pushgateway', () => {
  it('with honor_labels stores every pushed sample exactly, under the pushed job', async () => {
    const samples = pythonParse(pushedText);
    expect(samples.length).toBeGreaterThan(10);
    for (const sample of samples) {
      const expected = { __name__: sample.name, ...sample.labels, job: JOB };
      const selector = Object.entries(expected)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',');
      const result = (await prometheus?.query(`{${selector}}`)) ?? [];
      expect(
        result.map(({ metric, value }) => [metric, Number(value[1])]),
        selector,
      ).toEqual([[expected, sample.value]]);
    }
  });

  it('without honor_labels, the pushed job is renamed exported_job', async () => {
    const result = (await prometheus?.query('rows_processed_total{job="pushgateway-plain"}')) ?? [];
    expect(result.map(({ metric }) => metric)).toEqual([
      {
        __name__: 'rows_processed_total',
        exported_job: JOB,
        instance: gateway.host,
        job: 'pushgateway-plain',
        table: 'orders',
      },
    ]);
  });

  it("the dashboard's job variable lists the pushed job, and its job panels show it with instance at All", async () => {
    const jobs = await prometheus?.api<string[]>(
      `/api/v1/label/job/values?match[]=${encodeURIComponent('{__name__=~"up|push_time_seconds"}')}`,
    );
    expect(jobs).toContain(JOB);
    const allValue = (name: string) => dashboard.templating.list.find((variable) => variable.name === name)?.allValue;
    const queries = dashboard.panels
      .filter((panel) => panel.title.startsWith('Job') || panel.title.startsWith('Time since last success'))
      .flatMap((panel) => (panel.targets ?? []).map(({ expr }) => expr))
      .map((expr) =>
        expr
          .replaceAll('$__rate_interval', '1m')
          .replaceAll('$job', JOB)
          .replaceAll('$instance', allValue('instance') ?? '')
          .replaceAll('$kind', allValue('kind') ?? ''),
      );
    expect(queries.length).toBeGreaterThanOrEqual(4);
    // Rates need two scrapes inside their window.
    const empty = await eventually(
      async () => {
        const answered = await Promise.all(queries.map(async (query) => (await prometheus?.query(query))?.length ?? 0));
        const left = queries.filter((_, i) => answered[i] === 0);
        return left.length === 0 ? left : undefined;
      },
      20_000,
      () => 'some job panels stayed empty for the pushed job',
    );
    expect(empty).toEqual([]);
  });
});
