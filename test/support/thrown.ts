/** Calls `build` and returns what it threw (failing when it throws nothing). */
export function thrown(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
