// Shared pieces of the hostile suite: values that break naive code, and a watch on the process
// for anything that escapes as an unhandled rejection or an uncaught exception.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** An Error whose every property read (and prototype lookup) throws. */
export function trappedError(): Error {
  const trap = () => {
    throw new Error('trap');
  };
  return new Proxy(new Error('hidden'), {
    get: trap,
    getPrototypeOf: trap,
    has: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
  });
}

/** An Error subclass whose `message` and `name` getters throw. */
export class ExplodingError extends Error {
  override get message(): string {
    throw new Error('message getter');
  }
  override get name(): string {
    throw new Error('name getter');
  }
}

/** A thenable whose `then` throws when read. */
export const trappedThenable = () =>
  new Proxy(
    {},
    {
      get: (_target, key) => {
        if (key === 'then') throw new Error('then trap');
        return undefined;
      },
    },
  );

/** Values a hostile callback may throw, reject with or return. */
export const HOSTILE_VALUES: readonly (readonly [string, () => unknown])[] = [
  ['a Proxy error whose reads throw', trappedError],
  ['an Error whose message getter throws', () => new ExplodingError()],
  ['a BigInt', () => 10n],
  ['a symbol', () => Symbol('s')],
  ['an object without prototype', () => Object.create(null) as object],
  [
    'a circular object',
    () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    },
  ],
  ['a thenable whose then throws', trappedThenable],
  ['a 1 MB string', () => 'x'.repeat(1 << 20)],
];

/** The ways a callback can misbehave, each as a callback factory. */
export function misbehaviours(): readonly (readonly [string, () => unknown])[] {
  const ways: [string, () => unknown][] = [];
  for (const [name, make] of HOSTILE_VALUES) {
    ways.push([
      `throws ${name}`,
      () => {
        throw make();
      },
    ]);
    ways.push([`rejects with ${name}`, () => Promise.reject(make())]);
    ways.push([`returns ${name}`, make]);
  }
  ways.push(['never settles', () => new Promise(() => {})]);
  return ways;
}

/** Records every unhandled rejection and uncaught exception until `stop()`. */
export function watchProcess(): { readonly escaped: unknown[]; stop(): Promise<void> } {
  const escaped: unknown[] = [];
  const onEscape = (error: unknown) => escaped.push(error);
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  return {
    escaped,
    async stop() {
      // Rejections are reported after the microtask queue drains: give them a few turns.
      for (let i = 0; i < 5; i++) await nextTurn();
      await new Promise((resolve) => setTimeout(resolve, 20));
      process.off('unhandledRejection', onEscape);
      process.off('uncaughtException', onEscape);
    },
  };
}
