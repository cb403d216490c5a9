// The process metrics read the process once per snapshot, however many families they fill.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerProcessMetrics, Registry, render } from '../../src/index.js';
import * as linuxProc from '../../src/instrument/linux-proc.js';

vi.mock('../../src/instrument/linux-proc.js', async (importOriginal) => {
  const original = await importOriginal<typeof linuxProc>();
  return { ...original, readLinuxProcess: vi.fn(original.readLinuxProcess) };
});

// A /proc/self look-alike that gives every Linux figure.
const FAKE_PROC = mkdtempSync(join(tmpdir(), 'promlite-proc-'));
writeFileSync(join(FAKE_PROC, 'status'), 'Name:\tnode\nVmSize:\t  2048 kB\nVmRSS:\t  1024 kB\nVmData:\t   512 kB\n');
writeFileSync(
  join(FAKE_PROC, 'limits'),
  'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n',
);
mkdirSync(join(FAKE_PROC, 'fd'));
for (const fd of ['0', '1', '2']) writeFileSync(join(FAKE_PROC, 'fd', fd), '');

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  rmSync(FAKE_PROC, { recursive: true, force: true });
});

describe('registerProcessMetrics reads', () => {
  it('/proc, memory and CPU once per snapshot, with no cache between snapshots taken at once', () => {
    const readLinux = vi.mocked(linuxProc.readLinuxProcess);
    readLinux.mockClear();
    const memoryUsage = vi.spyOn(process, 'memoryUsage');
    const cpuUsage = vi.spyOn(process, 'cpuUsage');
    const registry = new Registry();
    const processMetrics = registerProcessMetrics(registry, { procRoot: FAKE_PROC });
    try {
      const before = {
        linux: readLinux.mock.calls.length,
        memory: memoryUsage.mock.calls.length,
        cpu: cpuUsage.mock.calls.length,
      };
      const first = render(registry.snapshot());
      render(registry.snapshot());
      expect(readLinux.mock.calls.length - before.linux).toBe(2);
      expect(readLinux.mock.calls.every(([root]) => root === FAKE_PROC)).toBe(true);
      expect(memoryUsage.mock.calls.length - before.memory).toBe(2);
      expect(cpuUsage.mock.calls.length - before.cpu).toBe(2);
      // One reading filled all four Linux families.
      expect(first).toContain('process_virtual_memory_bytes 2097152\n');
      expect(first).toContain('process_heap_bytes 524288\n');
      expect(first).toContain('process_open_fds 3\n');
      expect(first).toContain('process_max_fds 1024\n');
    } finally {
      processMetrics.stop();
    }
  });

  it('nothing from /proc where it is missing', () => {
    const readLinux = vi.mocked(linuxProc.readLinuxProcess);
    readLinux.mockClear();
    const registry = new Registry();
    const processMetrics = registerProcessMetrics(registry, { procRoot: '/nonexistent/proc/self' });
    registry.snapshot();
    processMetrics.stop();
    expect(readLinux).not.toHaveBeenCalled();
  });
});
