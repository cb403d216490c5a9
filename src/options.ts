import { PromliteError, type PromliteErrorCode } from './errors.js';

// Run-time checks of option bags. Plain-JavaScript callers get no type checker, so every public
// function checks its options here: a wrong type, a value out of range or an unknown key is a
// PromliteError that names the function, the option and what was given.

/** Checks one option's value: returns what was expected when it is wrong, `undefined` when fine. */
export type OptionCheck = (value: unknown) => string | undefined;

/** How {@link checkOptions} reports. */
export interface CheckOptionsSettings {
  /** Default `INVALID_OPTIONS`; serving options use `INVALID_CONFIG`. */
  readonly code?: PromliteErrorCode;
  /** Options whose value must never appear in a message (tokens). */
  readonly secret?: readonly string[];
}

/**
 * Checks an option bag against one check per known key. `undefined` (the bag or a value) means
 * "not given" and passes; anything else must pass its check.
 * @throws PromliteError naming `owner` and the option, for a bag that is not an object, an
 *   unknown key, or a value its check refuses. Secret values are described by type only.
 */
export function checkOptions(
  owner: string,
  options: unknown,
  checks: Readonly<Record<string, OptionCheck>>,
  settings: CheckOptionsSettings = {},
): void {
  const code = settings.code ?? 'INVALID_OPTIONS';
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PromliteError(code, `${owner}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(checks, key)) {
      throw new PromliteError(code, `${owner}: unknown option "${key}" (known: ${Object.keys(checks).join(', ')})`);
    }
  }
  for (const [key, check] of Object.entries(checks)) {
    const value: unknown = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const expected = check(value);
    if (expected === undefined) continue;
    const given = settings.secret?.includes(key) ? typeName(value) : describeValue(value);
    throw new PromliteError(code, `${owner}: option "${key}" must be ${expected}, got ${given}`);
  }
}

/** The type of a value, said without the value itself (for secrets). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/** {@link describeValue} for where a number belongs: says "the string" too, since `"5"` and `5` print alike. */
export function describeNumberInput(value: unknown): string {
  return typeof value === 'string' ? `the string ${describeValue(value)}` : describeValue(value);
}

/** A short, safe description of any value for an error message: never throws. */
export function describeValue(value: unknown): string {
  try {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    switch (typeof value) {
      case 'string':
        return value.length > 60
          ? `${JSON.stringify(value.slice(0, 60))}… (${value.length} characters)`
          : JSON.stringify(value);
      case 'number':
      case 'boolean':
      case 'bigint':
      case 'undefined':
        return String(value);
      case 'function':
        return 'a function';
      case 'symbol':
        return 'a symbol';
      default:
        return 'an object';
    }
  } catch {
    return 'an unreadable value';
  }
}

export const isBoolean: OptionCheck = (value) => (typeof value === 'boolean' ? undefined : 'true or false');
export const isString: OptionCheck = (value) => (typeof value === 'string' ? undefined : 'a string');
export const isFunction: OptionCheck = (value) => (typeof value === 'function' ? undefined : 'a function');
export const isObject: OptionCheck = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'an object';

/** An integer from `min` to `max`, both included. */
export const integerIn =
  (min: number, max: number): OptionCheck =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `an integer from ${min} to ${max}`;

/** A finite number greater than zero. */
export const isPositiveNumber: OptionCheck = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? undefined : 'a finite number greater than 0';

/** An array whose every element is a string. */
export const isStringArray: OptionCheck = (value) =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? undefined : 'an array of strings';

/** An array whose every element is a number. */
export const isNumberArray: OptionCheck = (value) =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'number') ? undefined : 'an array of numbers';

/** Passes when any of `checks` passes; says what the first one expected otherwise. */
export const either =
  (...checks: readonly OptionCheck[]): OptionCheck =>
  (value) => {
    const problems = checks.map((check) => check(value));
    return problems.includes(undefined) ? undefined : problems.join(' or ');
  };

/** Exactly `false`. */
export const isFalse: OptionCheck = (value) => (value === false ? undefined : 'false');

/**
 * Checks a positional argument (a registry, a set of health checks).
 * @throws PromliteError naming `owner` and what was expected.
 */
export function checkArgument(
  owner: string,
  value: unknown,
  check: OptionCheck,
  code: PromliteErrorCode = 'INVALID_OPTIONS',
): void {
  const expected = check(value);
  if (expected !== undefined)
    throw new PromliteError(code, `${owner}: the first argument must be ${expected}, got ${describeValue(value)}`);
}

/**
 * Anything with the given methods: how a Registry or a HealthChecks is recognised, even from
 * another copy of promlite.
 */
export const hasMethods =
  (what: string, ...methods: readonly string[]): OptionCheck =>
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
      ? undefined
      : what;

/** A `Registry`. */
export const isRegistry = hasMethods('a Registry', 'snapshotSteps', 'counter', 'gauge', 'histogram');
/** Anything with a `snapshot()` method: a `MetricsAggregator`, a cluster worker's aggregate, your own. */
export const isSnapshotSource = hasMethods('a snapshot source (anything with a snapshot() method)', 'snapshot');
/** What the endpoints serve: a `Registry`, or any snapshot source. */
export const isServedSource = either(isRegistry, isSnapshotSource);
/** A `HealthChecks`. */
export const isHealthChecks = hasMethods('a HealthChecks', 'run', 'add');
