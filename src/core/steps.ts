/**
 * Work done in steps: a generator that pauses (yields) between steps and returns its result at
 * the end. Whoever runs it decides whether to go straight through ({@link runSteps}) or to let
 * the event loop run between steps, so that large work never blocks it for long.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs steps to the end without pausing and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
