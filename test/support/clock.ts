// A controlled clock for duration tests: promlite times durations with performance.now(), and
// here that clock only moves when the test says so. Work that "takes 50 ms" takes exactly 50 ms
// however busy the machine is, so a test can assert the value recorded, units included, and is
// not a timing test. Timers, Date and I/O stay real.
import { vi } from 'vitest';

export interface ControlledClock {
  /** Moves performance.now() forward, as if the caller had been working for `ms`. */
  elapse(ms: number): void;
  /** Gives performance.now() back its real clock. */
  restore(): void;
}

/** Freezes performance.now() until {@link ControlledClock.elapse} moves it. */
export function controlClock(): ControlledClock {
  vi.useFakeTimers({ toFake: ['performance'] });
  return {
    elapse: (ms) => vi.advanceTimersByTime(ms),
    restore: () => vi.useRealTimers(),
  };
}
