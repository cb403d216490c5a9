// User callbacks (collect functions, error hooks, route functions, clocks) run inside promlite's
// own work. Whatever they do — throw, return a promise that rejects later, return a hostile
// object — must not escape into the host process as an uncaught exception or an unhandled
// rejection.

/** The outcome of {@link callUserCallback}. */
export type CallbackOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/**
 * Calls `callback(...args)`. Never throws: a throw becomes `{ ok: false }`. A promise (or other
 * thenable) it returns gets a rejection handler, so that it can never become an unhandled
 * rejection; it is returned as the value, unresolved.
 */
export function callUserCallback<A extends readonly unknown[]>(
  callback: (...args: A) => unknown,
  ...args: A
): CallbackOutcome {
  let value: unknown;
  try {
    value = callback(...args);
  } catch (error) {
    return { ok: false, error };
  }
  silenceRejection(value);
  return { ok: true, value };
}

/** Attaches a no-op rejection handler to a promise or thenable. Never throws. */
export function silenceRejection(value: unknown): void {
  try {
    // Even `instanceof` can throw (a Proxy's getPrototypeOf trap).
    if (value instanceof Promise) {
      value.catch(ignore);
      return;
    }
    if ((typeof value === 'object' || typeof value === 'function') && value !== null) {
      const then: unknown = (value as { then?: unknown }).then;
      if (typeof then === 'function') then.call(value, ignore, ignore);
    }
  } catch {
    // A hostile thenable: nothing more can be done with it, and nothing escapes.
  }
}

/**
 * The user's clock, made safe for a hook that must never throw: a clock that throws or returns
 * anything but a finite number is replaced, for that reading, by `Date.now()`.
 */
export function safeClock(now: () => number): () => number {
  return () => {
    const outcome = callUserCallback(now);
    return outcome.ok && typeof outcome.value === 'number' && Number.isFinite(outcome.value)
      ? outcome.value
      : Date.now();
  };
}

function ignore(): void {}
