// docs/prometheus/prometheus.yml is the config operators copy: a real Prometheus runs on it
// (with the demo as target and the alert rules beside it), scrapes with its bearer token, and
// loads every rule.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startDemo } from './support/demo.js';
import { eventually, launchPrometheus } from './support/prometheus.js';

const docs = new URL('../docs/prometheus/', import.meta.url).pathname;

describe('docs/prometheus/prometheus.yml', () => {
  it('scrapes the demo with its token and loads the alert rules', async () => {
    const token = 'docs-example-token';
    const demo = await startDemo({ METRICS_TOKEN: token });
    const dir = mkdtempSync(join(tmpdir(), 'promlite-docs-'));
    const target = new URL(demo.url).host;
    // The documented file as it is, but for the demo's port and a faster scrape.
    const config = readFileSync(join(docs, 'prometheus.yml'), 'utf8')
      .replace("'127.0.0.1:9464'", `'${target}'`)
      .replaceAll('15s', '1s');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    copyFileSync(join(docs, 'alerts.yml'), join(dir, 'alerts.yml'));
    writeFileSync(join(dir, 'metrics-token'), `${token}\n`);
    const check = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toContain('SUCCESS');
    const prometheus = await launchPrometheus(join(dir, 'prometheus.yml'), dir);
    try {
      await eventually(
        async () => ((await prometheus.targets()).every((t) => t.health === 'up') ? true : undefined),
        45_000,
        async () => JSON.stringify(await prometheus.targets()),
      );
      const groups = await prometheus.api<{ groups: { rules: { name: string; type: string }[] }[] }>('/api/v1/rules');
      const alerts = groups.groups.flatMap((group) => group.rules).filter((rule) => rule.type === 'alerting');
      expect(alerts.map((rule) => rule.name).sort()).toEqual([
        'PromliteEventLoopDelayHigh',
        'PromliteHttp5xxRatioHigh',
        'PromliteHttpLatencyHigh',
        'PromliteJobKindFailing',
        'PromliteJobKindNoRecentSuccess',
        'PromliteSeriesDropped',
        'PromliteTargetDown',
      ]);
      const jobs = await eventually(
        async () => {
          const result = await prometheus.query('job_duration_seconds_count{job="promlite-demo"}');
          return result.length > 0 ? result : undefined;
        },
        20_000,
        () => 'no job series',
      );
      expect(jobs.length).toBeGreaterThan(0);
    } finally {
      await prometheus.stop();
      await demo.stop();
    }
  }, 90_000);
});
