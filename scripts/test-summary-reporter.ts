// A vitest reporter that writes "N passed, N failed" to test-artifacts/test-summary.txt, for
// `make test` to print as its closing line. vitest's own counts call the tests of a suite whose
// beforeAll failed "skipped", and a file that failed to load has no tests at all: here both are
// failures, as they already are for the exit status.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';

export default class TestSummaryReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { passed, failed } = countTests(modules, unhandledErrors.length);
    const dir = join(this.root, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'test-summary.txt'), `${passed} passed, ${failed} failed\n`);
  }
}

/** Counts passed and failed tests; a failed hook or an unloadable file is at least one failure. */
function countTests(modules: ReadonlyArray<TestModule>, unhandledErrors: number): { passed: number; failed: number } {
  let passed = 0;
  let failed = unhandledErrors;
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      if (test.result().state === 'passed') passed++;
      else if (countsAsFailed(test)) failed++;
    }
    // An afterAll that threw, or a file that did not load, leaves no failed test behind.
    for (const suite of [module, ...module.children.allSuites()]) {
      if (suite.errors().length > 0 && ![...suite.children.allTests()].some(countsAsFailed)) failed++;
    }
  }
  return { passed, failed };
}

/** Failed, or meant to run but left out because a hook of an enclosing suite (or the file) failed. */
function countsAsFailed(test: TestCase): boolean {
  const { state } = test.result();
  if (state === 'failed') return true;
  if (state === 'passed' || test.options.mode === 'skip' || test.options.mode === 'todo') return false;
  for (let suite: TestSuite | TestModule = test.parent; ; suite = suite.parent) {
    if (suite.errors().length > 0) return true;
    if (suite.type === 'module') return false;
  }
}
