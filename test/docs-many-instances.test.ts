// docs/prometheus.md, "Many instances of a service": every scrape config passes promtool, and a
// real Prometheus runs the file_sd config and the Kubernetes relabel rules against the demo.
// Debian's Prometheus is built without Kubernetes discovery (promtool refuses the
// `kubernetes_sd_configs` key), so the tests put in its place a static target carrying the
// `__meta_kubernetes_*` labels that discovery would set for the documented pod: the relabel
// rules, which are what the docs add, run exactly as written.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON } from './support/consumers.js';
import { startDemo } from './support/demo.js';
import { root } from './support/doc-examples.js';
import { blocksIn, kindOf, promtoolCheck } from './support/docs-yaml.js';
import { eventually, launchPrometheus } from './support/prometheus.js';

const doc = readFileSync(join(root, 'docs/prometheus.md'), 'utf8');
const yamls = blocksIn(doc, 'yaml');
const configs = yamls.filter((yaml) => kindOf(yaml) === 'config');
const fileSd = configs.find((yaml) => yaml.includes('file_sd_configs:')) as string;
const kubernetes = configs.find((yaml) => yaml.includes('kubernetes_sd_configs:')) as string;
const manifest = yamls.find((yaml) => kindOf(yaml) === 'kubernetes') as string;
const [targetsFile] = blocksIn(doc, 'json');
const TARGETS_PATH = 'targets/orders-api-production.json';

interface Pod {
  readonly annotations: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly env: Record<string, string>;
}

/** The pod template of the documented Deployment, read by a YAML parser (python3-yaml). */
function podOf(yaml: string): Pod {
  const script = `import json, sys, yaml
d = yaml.safe_load(sys.stdin)
t = d['spec']['template']
c = t['spec']['containers'][0]
print(json.dumps({'annotations': t['metadata']['annotations'], 'labels': t['metadata']['labels'],
  'env': {e['name']: e['value'] for e in c.get('env', [])}}))`;
  const result = spawnSync(PYTHON, ['-c', script], { input: yaml, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Pod;
}

/** A Kubernetes label or annotation name as discovery writes it into a `__meta_` label. */
const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** The Kubernetes job with discovery replaced by static targets carrying what discovery would set. */
function withDiscoveredPods(config: string, pods: readonly Record<string, string>[]): string {
  const targets = pods
    .map((labels) => {
      const lines = Object.entries(labels).map(([name, value]) => `          ${name}: ${JSON.stringify(value)}`);
      return `      - targets: ['${labels.__address__}']\n        labels:\n${lines.join('\n')}`;
    })
    .join('\n');
  const replaced = config.replace(/ {4}kubernetes_sd_configs:\n {6}- role: pod\n/, `    static_configs:\n${targets}\n`);
  if (replaced === config) throw new Error('no kubernetes_sd_configs block to replace');
  return replaced;
}

/** What pod discovery sets for a pod with these annotations and labels (the address: its first container port). */
function discoveredPod(name: string, pod: Pod): Record<string, string> {
  const labels: Record<string, string> = {
    __address__: '127.0.0.1:1',
    __meta_kubernetes_pod_ip: '127.0.0.1',
    __meta_kubernetes_namespace: 'shop',
    __meta_kubernetes_pod_name: name,
  };
  for (const [key, value] of Object.entries(pod.annotations)) {
    labels[`__meta_kubernetes_pod_annotation_${sanitize(key)}`] = value;
  }
  for (const [key, value] of Object.entries(pod.labels)) labels[`__meta_kubernetes_pod_label_${sanitize(key)}`] = value;
  return labels;
}

describe('docs/prometheus.md: many instances', () => {
  it('has the static, file_sd and Kubernetes configs, a pod template and a targets file', () => {
    expect(yamls.map(kindOf).filter((kind) => kind === 'unknown')).toEqual([]);
    expect(configs.some((yaml) => yaml.includes('static_configs:'))).toBe(true);
    expect(fileSd).toContain("files: ['targets/orders-api-*.json']");
    expect(kubernetes).toContain('- role: pod');
    expect(targetsFile).toBeDefined();
    expect(doc).toContain(`\`${TARGETS_PATH}\``);
  });

  it.each(configs.map((yaml, i) => [i + 1, yaml] as const))(
    'scrape config %s passes promtool check config',
    (_, yaml) => {
      const pod = podOf(manifest);
      const checked = yaml === kubernetes ? withDiscoveredPods(yaml, [discoveredPod('orders-api-1', pod)]) : yaml;
      const { status, output } = promtoolCheck('config', checked, { [TARGETS_PATH]: targetsFile as string });
      expect(output).toContain('SUCCESS');
      expect(status).toBe(0);
    },
  );

  it('promtool reads the file_sd targets: a broken file fails the check', () => {
    const { status, output } = promtoolCheck('config', fileSd, { [TARGETS_PATH]: '[{"targetz": ["a:1"]}]' });
    expect(status).not.toBe(0);
    expect(output).toContain('checking SD file');
  });

  it('the pod template carries the annotations that the relabel rules read, and listens beyond loopback', () => {
    const pod = podOf(manifest);
    expect(Object.keys(pod.annotations).sort()).toEqual([
      'prometheus.io/path',
      'prometheus.io/port',
      'prometheus.io/scrape',
    ]);
    for (const key of Object.keys(pod.annotations)) {
      expect(kubernetes).toContain(`__meta_kubernetes_pod_annotation_${sanitize(key)}`);
    }
    expect(kubernetes).toContain(`__meta_kubernetes_pod_label_${sanitize('app.kubernetes.io/name')}`);
    expect(pod.env.METRICS_HOST).toBe('0.0.0.0');
  });

  it('a real Prometheus scrapes the annotated pod and the file_sd targets, and drops the pod without annotations', async () => {
    const demo = await startDemo({});
    const dir = mkdtempSync(join(tmpdir(), 'promlite-many-'));
    try {
      const metrics = new URL(demo.url);
      const pod = podOf(manifest);
      // The documented pod, its port annotation pointing at the demo; and a pod that did not ask.
      const annotated = discoveredPod('orders-api-7d9f', {
        ...pod,
        annotations: { ...pod.annotations, 'prometheus.io/port': metrics.port, 'prometheus.io/path': metrics.pathname },
      });
      const unannotated = discoveredPod('redis-0', {
        annotations: {},
        labels: { 'app.kubernetes.io/name': 'redis' },
        env: {},
      });
      const jobs = fileSd.replace(/^scrape_configs:\n/, '').replaceAll(/\d+\.\d+\.\d+\.\d+:9464/g, metrics.host);
      const config = `global:\n  scrape_interval: 1s\n${withDiscoveredPods(kubernetes, [annotated, unannotated])}${jobs}`;
      writeFileSync(join(dir, 'prometheus.yml'), config);
      mkdirSync(join(dir, 'targets'));
      // Both documented targets become the demo: one target, as Prometheus de-duplicates them.
      writeFileSync(
        join(dir, TARGETS_PATH),
        (targetsFile as string).replaceAll(/\d+\.\d+\.\d+\.\d+:9464/g, metrics.host),
      );
      const prometheus = await launchPrometheus(join(dir, 'prometheus.yml'), dir);
      try {
        interface Target {
          labels: Record<string, string>;
          health: string;
          lastError: string;
          scrapeUrl: string;
          scrapePool: string;
        }
        const targets = await eventually(
          async () => {
            const { activeTargets } = await prometheus.api<{ activeTargets: Target[] }>('/api/v1/targets');
            return activeTargets.length === 2 && activeTargets.every((t) => t.health === 'up')
              ? activeTargets
              : undefined;
          },
          45_000,
          async () => JSON.stringify(await prometheus.api('/api/v1/targets')),
        );
        const byPool = Object.fromEntries(targets.map((target) => [target.scrapePool, target]));
        expect(byPool['kubernetes-pods']?.labels).toEqual({
          app: 'orders-api',
          instance: metrics.host,
          job: 'kubernetes-pods',
          namespace: 'shop',
          pod: 'orders-api-7d9f',
        });
        expect(byPool['kubernetes-pods']?.scrapeUrl).toBe(demo.url);
        expect(byPool['orders-api']?.labels).toEqual({
          env: 'production',
          instance: metrics.host,
          job: 'orders-api',
          region: 'eu-west-1',
        });
        const { droppedTargets } = await prometheus.api<{
          droppedTargets: { discoveredLabels: Record<string, string> }[];
        }>('/api/v1/targets?state=dropped');
        expect(droppedTargets.map((target) => target.discoveredLabels.__meta_kubernetes_pod_name)).toEqual(['redis-0']);
        const up = await prometheus.query('up{job="kubernetes-pods", namespace="shop", pod="orders-api-7d9f"}');
        expect(up.map((sample) => sample.value[1])).toEqual(['1']);
      } finally {
        await prometheus.stop();
      }
    } finally {
      await demo.stop();
    }
  }, 90_000);
});
