// Collect functions and collectors that return a promise: called and awaited before a snapshot,
// which itself stays synchronous (and `render` pure).
import { type CallbackOutcome, callUserCallback } from '../callbacks.js';
import { PromliteError } from '../errors.js';

/** What each collect function or collector returned, settled, by the function itself. */
export type CollectReads = ReadonlyMap<() => unknown, CallbackOutcome>;

/**
 * Calls each function once and waits for the promises among the results, up to `timeoutMs`
 * each, all at once. A promise that rejects, or does not settle in time, becomes a failed
 * outcome (`COLLECT_TIMEOUT` for the latter); its late settling is ignored. Never rejects.
 */
export async function readAhead(reads: readonly (() => unknown)[], timeoutMs: number): Promise<CollectReads> {
  const outcomes = new Map<() => unknown, CallbackOutcome>();
  const pending: Promise<void>[] = [];
  for (const read of reads) {
    if (outcomes.has(read)) continue;
    const outcome = callUserCallback(read);
    outcomes.set(read, outcome);
    if (outcome.ok && isThenable(outcome.value)) {
      pending.push(settle(outcome.value, timeoutMs).then((settled) => void outcomes.set(read, settled)));
    }
  }
  await Promise.all(pending);
  return outcomes;
}

/**
 * Refuses a promise where a synchronous snapshot needed a value: it was not read ahead.
 * @throws PromliteError `INVALID_VALUE` naming `owner`, when `value` is a promise or thenable.
 */
export function assertNotPending(owner: string, value: unknown): void {
  if (isThenable(value)) {
    throw new PromliteError(
      'INVALID_VALUE',
      `${owner}: returned a promise, which a synchronous snapshot() cannot wait for; use await registry.snapshotAsync() (the metrics handler and status page do)`,
    );
  }
}

function settle(promise: PromiseLike<unknown>, timeoutMs: number): Promise<CallbackOutcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, error: new PromliteError('COLLECT_TIMEOUT', `did not settle within ${timeoutMs} ms`) });
    }, timeoutMs);
    timer.unref();
    const done = (outcome: CallbackOutcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    // `Promise.resolve` adopts any thenable; a `then` that throws becomes a rejection.
    Promise.resolve(promise).then(
      (value) => done({ ok: true, value }),
      (error: unknown) => done({ ok: false, error }),
    );
  });
}

/** Whether `value` has a callable `then`. Never throws, even for a hostile Proxy. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      (typeof value === 'object' || typeof value === 'function') &&
      value !== null &&
      typeof (value as { then?: unknown }).then === 'function'
    );
  } catch {
    return false;
  }
}
