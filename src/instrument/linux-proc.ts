// Linux /proc readers. The parsers are pure functions of the file's text (tested on captured
// files in fixtures/proc/); only `readLinuxProcess` touches the file system.
import { readdirSync, readFileSync } from 'node:fs';

/** Memory figures from /proc/self/status, in bytes; a field the text lacks is undefined. */
export interface ProcStatus {
  /** VmSize: virtual memory. */
  readonly virtualMemoryBytes: number | undefined;
  /** VmRSS: resident memory. */
  readonly residentMemoryBytes: number | undefined;
  /** VmData: the data segment, heap included (what prom-client reports as process_heap_bytes). */
  readonly heapBytes: number | undefined;
}

/** Reads VmSize, VmRSS and VmData from the text of /proc/<pid>/status. Pure; never throws. */
export function parseProcStatus(text: string): ProcStatus {
  const kilobytes = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  return {
    virtualMemoryBytes: kilobytes('VmSize'),
    residentMemoryBytes: kilobytes('VmRSS'),
    heapBytes: kilobytes('VmData'),
  };
}

/**
 * Reads the soft "Max open files" limit from the text of /proc/<pid>/limits; undefined when
 * unlimited or unreadable. Pure; never throws.
 */
export function parseMaxOpenFiles(text: string): number | undefined {
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  return match === null || match[1] === 'unlimited' ? undefined : Number(match[1]);
}

/** What the Linux-only process metrics read at each scrape. */
export interface LinuxProcessReading extends ProcStatus {
  readonly openFds: number | undefined;
  readonly maxFds: number | undefined;
}

/** Whether this process can read its own /proc entries (Linux). */
export function hasProcFs(root = '/proc/self'): boolean {
  try {
    readFileSync(`${root}/status`, 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** Reads the Linux-only figures; a file that cannot be read leaves its fields undefined. */
export function readLinuxProcess(root = '/proc/self'): LinuxProcessReading {
  const read = (file: string): string => {
    try {
      return readFileSync(`${root}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  let openFds: number | undefined;
  try {
    openFds = readdirSync(`${root}/fd`).length;
  } catch {
    openFds = undefined;
  }
  return { ...parseProcStatus(read('status')), openFds, maxFds: parseMaxOpenFiles(read('limits')) };
}
