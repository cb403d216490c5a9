import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMaxOpenFiles, parseProcStatus, readLinuxProcess } from '../../src/instrument/linux-proc.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/proc/${name}`, import.meta.url), 'utf8');

describe('parseProcStatus', () => {
  it('reads VmSize, VmRSS and VmData in bytes from a captured file', () => {
    expect(parseProcStatus(fixture('status'))).toEqual({
      virtualMemoryBytes: 4040 * 1024,
      residentMemoryBytes: 2148 * 1024,
      heapBytes: 388 * 1024,
    });
  });

  it('leaves out what a malformed file does not say', () => {
    expect(parseProcStatus(fixture('status-malformed'))).toEqual({
      virtualMemoryBytes: undefined,
      residentMemoryBytes: undefined,
      heapBytes: undefined,
    });
    expect(parseProcStatus('')).toEqual({
      virtualMemoryBytes: undefined,
      residentMemoryBytes: undefined,
      heapBytes: undefined,
    });
  });
});

describe('parseMaxOpenFiles', () => {
  it.each([
    ['limits', 20000],
    ['limits-unlimited', undefined],
    ['limits-malformed', undefined],
  ])('%s → %s', (name, expected) => {
    expect(parseMaxOpenFiles(fixture(name))).toBe(expected);
  });
});

describe('readLinuxProcess', () => {
  it('reads this process', () => {
    const reading = readLinuxProcess();
    expect(reading.residentMemoryBytes).toBeGreaterThan(1024 * 1024);
    expect(reading.virtualMemoryBytes).toBeGreaterThan(reading.residentMemoryBytes as number);
    expect(reading.openFds).toBeGreaterThan(2);
  });

  it('gives undefined for what cannot be read', () => {
    expect(readLinuxProcess('/nonexistent/proc/self')).toEqual({
      virtualMemoryBytes: undefined,
      residentMemoryBytes: undefined,
      heapBytes: undefined,
      openFds: undefined,
      maxFds: undefined,
    });
  });
});
