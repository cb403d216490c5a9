// docs/pushgateway.md: every `ts` example runs against a real Pushgateway (its URL in
// PUSHGATEWAY_URL, as a cron job would read it) and leaves what the text says in the gateway;
// every YAML block passes promtool, and the alerts fire (promtool test rules) when a run is missed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesIn, itRunsEach, root } from './support/doc-examples.js';
import { blocksIn, kindOf, promtoolCheck } from './support/docs-yaml.js';
import { familyOf, usePushgatewayFromEnv } from './support/pushgateway.js';

const doc = readFileSync(join(root, 'docs/pushgateway.md'), 'utf8');

describe('docs/pushgateway.md', () => {
  const gateway = usePushgatewayFromEnv();

  const examples = examplesIn(doc);
  it('has the cron job, the failing job and the DELETE examples', () => {
    expect(examples).toHaveLength(3);
  });
  itRunsEach(examples.map((code, i) => [i + 1, code] as const));

  it('leaves in the gateway what the examples pushed', async () => {
    const nightly = await gateway().group({ job: 'nightly-report' });
    expect(familyOf(nightly, 'report_rows_total')?.metrics[0]?.value).toBe('1250');
    const duration = familyOf(nightly, 'job_duration_seconds')?.metrics[0];
    expect(duration).toMatchObject({ count: '1', labels: { kind: 'nightly-report', status: 'success' } });
    const exported = await gateway().group({ job: 'orders-export', instance: 'batch-host-1' });
    expect(familyOf(exported, 'job_duration_seconds')?.metrics[0]?.labels.status).toBe('success');
    expect(familyOf(exported, 'job_last_success_timestamp_seconds')?.metrics).toHaveLength(1);
    expect(await gateway().gone({ job: 'tmp-cleanup' })).toBe(true);
  });

  const yamls = blocksIn(doc, 'yaml');
  it('has the scrape config and the alert rules', () => {
    expect(yamls.map(kindOf)).toEqual(['config', 'rules']);
    expect(yamls[0]).toContain('honor_labels: true');
  });
  it.each(yamls.map((yaml, i) => [i + 1, yaml] as const))('YAML block %s passes promtool', (_, yaml) => {
    const kind = kindOf(yaml);
    if (kind !== 'config' && kind !== 'rules') throw new Error(`not a config or rules:\n${yaml}`);
    const { status, output } = promtoolCheck(kind, yaml);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('fires the staleness alert once a nightly job misses a run, and not before (promtool test rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promlite-docs-rules-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), yamls[1] as string);
      // The gateway serves a group's last push for ever: one push at 0h, the same value scraped after.
      const test = `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1h
    input_series:
      - series: 'push_time_seconds{job="nightly-report"}'
        values: '0x40'
      - series: 'job_last_success_timestamp_seconds{job="nightly-report",kind="nightly-report"}'
        values: '0x40'
    alert_rule_test:
      - eval_time: 25h
        alertname: NightlyReportNotPushed
        exp_alerts: []
      - eval_time: 27h
        alertname: NightlyReportNotPushed
        exp_alerts:
          - exp_labels: { severity: warning, job: nightly-report }
            exp_annotations: { summary: 'nightly-report has not pushed for 1d 3h 0m 0s' }
      - eval_time: 27h
        alertname: NightlyReportFailed
        exp_alerts:
          - exp_labels: { severity: warning, job: nightly-report, kind: nightly-report }
            exp_annotations: { summary: 'nightly-report pushed, but has not succeeded for 1d 3h 0m 0s' }
`;
      writeFileSync(join(dir, 'test.yml'), test);
      const result = spawnSync('promtool', ['test', 'rules', join(dir, 'test.yml')], { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
