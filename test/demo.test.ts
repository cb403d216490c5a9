// The demo that `make run` starts: it prints where its metrics are, serves jobs that promtool
// accepts, and stops cleanly on Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from './support/consumers.js';
import { eventually } from './support/prometheus.js';

describe('examples/demo.ts', () => {
  it('serves job metrics, prints the URL and a curl line, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, METRICS_PORT: '0', METRICS_TOKEN: 'demo-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await eventually(async () => /metrics at (http:\/\/\S+)/.exec(output)?.[1], 15_000, () => output);
      expect(output).toContain(`curl -s -H 'Authorization: Bearer $METRICS_TOKEN' ${url}`);
      const text = await eventually(
        async () => {
          const response = await fetch(url, { headers: { Authorization: 'Bearer demo-token' } });
          const body = await response.text();
          return /^job_duration_seconds_count\{kind="send-email",status="success"\} [1-9]/m.test(body) ? body : undefined;
        },
        15_000,
        () => 'no send-email job recorded',
      );
      expect(text).toMatch(/^job_last_success_timestamp_seconds\{kind="send-email"\} \d+/m);
      expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('stopped (SIGINT)');
  }, 40_000);
});
