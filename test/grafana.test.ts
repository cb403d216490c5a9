// grafana/promlite-dashboard.json: its structure, and its meaning — every panel's PromQL runs
// against a real Prometheus scraping the demo and returns data.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startDemo } from './support/demo.js';
import { eventually, startPrometheus } from './support/prometheus.js';

interface Target {
  readonly expr: string;
  readonly refId: string;
  readonly datasource?: { type: string; uid: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
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
});

describe('grafana/promlite-dashboard.json: every query returns data', () => {
  it('against a real Prometheus scraping the demo', async () => {
    const demo = await startDemo({});
    const target = new URL(demo.url);
    const prometheus = await startPrometheus([
      { name: 'promlite-demo', target: target.host, metricsPath: target.pathname },
    ]);
    try {
      await eventually(
        async () => ((await prometheus.targets()).every((t) => t.health === 'up') ? true : undefined),
        45_000,
        async () => JSON.stringify(await prometheus.targets()),
      );
      // Rates need a few scrapes inside their window, and the demo some finished jobs: ask each
      // query again until it answers, however long a busy machine takes to get there.
      const queries = dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).map(({ expr, refId }) => ({
          name: `${panel.title} (${refId})`,
          query: substitute(expr),
        })),
      );
      let empty = queries;
      await eventually(
        async () => {
          const answered = await Promise.all(
            empty.map(async ({ query }) => (await prometheus.query(query)).length > 0),
          );
          empty = empty.filter((_, i) => !answered[i]);
          return empty.length === 0 ? true : undefined;
        },
        60_000,
        () => 'some panels stayed empty',
      ).catch(() => undefined);
      expect(empty.map(({ name, query }) => `${name}: ${query}`)).toEqual([]);
    } finally {
      await prometheus.stop();
      await demo.stop();
    }
  }, 180_000);
});
