// The npm package as users get it: `npm pack`, then the tarball installed offline into fresh projects
// (ESM, CommonJS, TypeScript under @tsconfig/strictest and under bundler resolution, a worker thread),
// each recording a counter and a histogram and rendering them for promtool.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from './support/consumers.js';

const repo = new URL('..', import.meta.url).pathname;
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

/** What every program records and prints: the same for each way of loading the package. */
const RECORD = `
const registry = new Registry({ prefix: 'app_' });
registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['kind'] }).inc({ kind: 'mail' }, 2);
registry.histogram({ name: 'latency_seconds', help: 'Latency.', buckets: [0.1, 1] }).observe(0.5);
const text = render(registry.snapshot());
`;

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

let tarball = '';

/** A fresh project with the tarball installed offline, and `files` written into it. */
function project(type: 'module' | 'commonjs', files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'promlite-package-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Checks a program's output: promtool accepts it, and it holds what RECORD recorded. */
function expectRecorded(output: string): void {
  expect(output).toContain('app_jobs_total{kind="mail"} 2\n');
  expect(output).toContain('app_latency_seconds_count 1\n');
  expect(promtoolCheckMetrics(output)).toEqual({ status: 0, output: '' });
}

function typescriptConfig(options: Record<string, unknown>, extendsStrictest: boolean): string {
  return JSON.stringify({
    ...(extendsStrictest ? { extends: join(repo, 'node_modules/@tsconfig/strictest/tsconfig.json') } : {}),
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      outDir: 'out',
      types: ['node'],
      typeRoots: [join(repo, 'node_modules/@types')],
      ...options,
    },
    include: ['app.ts'],
  });
}

beforeAll(async () => {
  const destination = mkdtempSync(join(tmpdir(), 'promlite-tarball-'));
  // Not spawnSync: packing builds twice with tsc, which on a loaded machine outlasts vitest's
  // 60 s worker RPC timeout if the worker's event loop is blocked meanwhile ("Timeout calling
  // onTaskUpdate", an unhandled error that fails the run although every test passed).
  await new Promise<void>((resolve, reject) =>
    execFile(
      'npm',
      ['pack', '--pack-destination', destination],
      { cwd: repo, timeout: 230_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`npm pack failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(),
    ),
  );
  const [file] = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  tarball = join(destination, file as string);
}, 240_000);

describe('the packed tarball', () => {
  it('holds compiled ESM and CommonJS with declarations and maps, and no tests', () => {
    const listing = run('tar', ['-tzf', tarball], repo).split('\n');
    for (const file of [
      'package/dist/esm/index.js',
      'package/dist/esm/index.d.ts',
      'package/dist/esm/index.d.ts.map',
      'package/dist/esm/index.js.map',
      'package/dist/cjs/index.js',
      'package/dist/cjs/index.d.ts',
      'package/dist/cjs/package.json',
      'package/dist/esm/serve/index.js',
      'package/dist/cjs/instrument/index.js',
      'package/src/index.ts',
      'package/LICENSE',
      'package/README.md',
      'package/package.json',
    ]) {
      expect(listing, file).toContain(file);
    }
    expect(listing.some((file) => file.startsWith('package/test/'))).toBe(false);
  });

  it('(a) works from an .mjs import, entry points promlite/serve and promlite/instrument too', () => {
    const dir = project('module', {
      'app.mjs': `import { Registry, render } from 'promlite';
import { metricsHandler } from 'promlite/serve';
import { instrumentHttp } from 'promlite/instrument';
${RECORD}
if (typeof metricsHandler(registry) !== 'function' || typeof instrumentHttp(registry).wrap !== 'function') process.exit(3);
process.stdout.write(text);
`,
    });
    expectRecorded(run(process.execPath, ['app.mjs'], dir));
  });

  it('(b) works from a .cjs require, and a CommonJS registry is served by the ESM handler', () => {
    const dir = project('commonjs', {
      'app.cjs': `const { Registry, render } = require('promlite');
const { createServer } = require('node:http');
${RECORD}
(async () => {
  // The dual-package case: the ESM build's handler gets a registry made by the CommonJS build.
  const { metricsHandler } = await import('promlite/serve');
  const server = createServer(metricsHandler(registry));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scraped = await (await fetch('http://127.0.0.1:' + server.address().port + '/metrics')).text();
  server.close();
  if (!scraped.includes('app_jobs_total{kind="mail"} 2')) process.exit(3);
  process.stdout.write(text);
})();
`,
    });
    expectRecorded(run(process.execPath, ['app.cjs'], dir));
  });

  it('(c) type-checks and runs as TypeScript under @tsconfig/strictest with module nodenext', () => {
    const dir = project('module', {
      'tsconfig.json': typescriptConfig(
        { module: 'nodenext', moduleResolution: 'nodenext', verbatimModuleSyntax: true },
        true,
      ),
      'app.ts': `import { Registry, render, type RegistrySnapshot } from 'promlite';
import type { MetricsHandlerOptions } from 'promlite/serve';
${RECORD}
const options: MetricsHandlerOptions = { openMetrics: true };
const snapshot: RegistrySnapshot = registry.snapshot();
if (snapshot.families.length === 0 || options.openMetrics !== true) process.exit(3);
process.stdout.write(text);
`,
    });
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expectRecorded(run(process.execPath, ['out/app.js'], dir));
  });

  it('(d) type-checks and runs as TypeScript with moduleResolution bundler', () => {
    const dir = project('module', {
      'tsconfig.json': typescriptConfig({ module: 'esnext', moduleResolution: 'bundler', strict: true }, false),
      'app.ts': `import { Registry, render } from 'promlite';
import { registerUptime } from 'promlite/instrument';
${RECORD}
registerUptime(registry);
process.stdout.write(text);
`,
    });
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expectRecorded(run(process.execPath, ['out/app.js'], dir));
  });

  it('(e) works in a worker_threads worker that imports it', () => {
    const dir = project('module', {
      'main.mjs': `import { Worker } from 'node:worker_threads';
const worker = new Worker(new URL('./worker.mjs', import.meta.url));
worker.once('message', (text) => process.stdout.write(text));
worker.once('error', (error) => { console.error(error); process.exit(3); });
`,
      'worker.mjs': `import { parentPort } from 'node:worker_threads';
import { Registry, render } from 'promlite';
${RECORD}
parentPort.postMessage(text);
`,
    });
    expectRecorded(run(process.execPath, ['main.mjs'], dir));
  });
});
