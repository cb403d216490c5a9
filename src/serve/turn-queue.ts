import { setImmediate } from 'node:timers';

/**
 * Hands out turns of the event loop one at a time. Each waiter resumes in an event-loop
 * iteration of its own, after every earlier waiter, so that many concurrent pieces of work that
 * each run a few milliseconds between waits never add up to one long stall: timers and I/O get
 * their say between any two of them.
 */
export class TurnQueue {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** Resolves in a later event-loop iteration, once every earlier waiter has had its turn. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // One waiter per check phase: an immediate queued while the check phase runs waits for the
    // next iteration, so the waiter resumed here has this turn to itself.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
