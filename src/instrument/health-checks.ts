import { PromliteError } from '../errors.js';
import type { Gauge } from '../core/gauge.js';
import { checkArgument, checkOptions, integerIn, isBoolean, isPositiveNumber, isRegistry } from '../options.js';
import type { Registry } from '../core/registry.js';

/**
 * Checks one dependency. Throwing (anything) or returning `false` means down; any other value
 * means up, and a string returned is shown as `details`. May be sync or async.
 */
export type HealthCheck = () => unknown;

/** Options of one check. */
export interface HealthCheckOptions {
  /**
   * A critical check that fails makes the whole status `down` (503); others make it `degraded`
   * (200). Default `true`.
   */
  readonly critical?: boolean;
  /** A check still running after this is reported down ("timed out after N ms"). Default 5,000. */
  readonly timeoutMs?: number;
}

/** The outcome of one check. */
export interface HealthCheckResult {
  readonly component: string;
  readonly status: 'up' | 'down';
  readonly details?: string;
  readonly durationMs: number;
}

/** The outcome of all checks: `up`, `degraded` (only non-critical checks failed) or `down`. */
export interface HealthReport {
  readonly status: 'up' | 'degraded' | 'down';
  readonly checks: readonly HealthCheckResult[];
}

/** Options of {@link HealthChecks}; `{}` works. */
export interface HealthChecksOptions {
  /**
   * Serve a finished run's report to requests that come within this many milliseconds of its
   * end, instead of running every check again. Default 0: requests that arrive while a run is
   * in flight share it, later ones start a new one.
   */
  readonly reuseResultMs?: number | undefined;
}

interface RegisteredCheck {
  readonly name: string;
  readonly check: HealthCheck;
  readonly critical: boolean;
  readonly timeoutMs: number;
}

/**
 * A set of health checks for liveness/readiness probes, run concurrently, each with its own
 * timeout. With a registry, every run also sets `<prefix>health_check_up{component}` (0/1) and
 * `<prefix>health_check_duration_seconds{component}`.
 * @example
 * const health = new HealthChecks(registry)
 *   .add('database', () => pool.query('select 1'))
 *   .add('cache', () => redis.ping(), { critical: false, timeoutMs: 500 });
 * const report = await health.run();
 */
export class HealthChecks {
  private readonly checks: RegisteredCheck[] = [];
  private readonly up: Gauge<'component'> | undefined;
  private readonly duration: Gauge<'component'> | undefined;
  private readonly reuseResultMs: number;
  private inFlight: Promise<HealthReport> | undefined;
  private lastReport: { readonly report: HealthReport; readonly at: number } | undefined;

  /** @throws PromliteError `INVALID_OPTIONS` for a registry that is not one, or bad options. */
  constructor(registry?: Registry, options: HealthChecksOptions = {}) {
    if (registry !== undefined) checkArgument('HealthChecks', registry, isRegistry);
    checkOptions('HealthChecks', options, { reuseResultMs: integerIn(0, 3_600_000) });
    this.reuseResultMs = options.reuseResultMs ?? 0;
    this.up = registry?.gauge({
      name: 'health_check_up',
      help: 'Whether the last run of each health check passed (1) or failed (0).',
      labelNames: ['component'],
    });
    this.duration = registry?.gauge({
      name: 'health_check_duration_seconds',
      help: 'Duration of the last run of each health check, in seconds.',
      labelNames: ['component'],
    });
  }

  /**
   * Adds a check. Returns `this`, for chaining.
   * @throws PromliteError `INVALID_OPTIONS` for an empty or repeated name, a non-function, a bad
   *   timeout or an unknown option.
   */
  add(name: string, check: HealthCheck, options: HealthCheckOptions = {}): this {
    if (typeof name !== 'string' || name === '')
      throw new PromliteError('INVALID_OPTIONS', 'health check: the name must be a non-empty string');
    if (this.checks.some((existing) => existing.name === name))
      throw new PromliteError('INVALID_OPTIONS', `health check "${name}": added twice`);
    if (typeof check !== 'function')
      throw new PromliteError('INVALID_OPTIONS', `health check "${name}": the check must be a function`);
    checkOptions(`health check "${name}"`, options, { critical: isBoolean, timeoutMs: isPositiveNumber });
    const { critical = true, timeoutMs = 5000 } = options;
    this.checks.push({ name, check, critical, timeoutMs });
    return this;
  }

  /**
   * Runs every check at once and reports. Requests that come while a run is in flight share
   * it, so a burst of probes runs each check once. Never rejects, whatever the checks throw,
   * return or leave hanging; takes at most the longest timeout.
   */
  run(): Promise<HealthReport> {
    if (this.inFlight !== undefined) return this.inFlight;
    const last = this.lastReport;
    if (last !== undefined && performance.now() - last.at < this.reuseResultMs) return Promise.resolve(last.report);
    const run = this.runAll()
      // Unreachable in practice (runCheck never rejects), but run() must not reject whatever happens.
      .catch((): HealthReport => ({ status: 'down', checks: [] }))
      .then((report) => {
        this.inFlight = undefined;
        this.lastReport = { report, at: performance.now() };
        return report;
      });
    this.inFlight = run;
    return run;
  }

  private async runAll(): Promise<HealthReport> {
    const results = await Promise.all(this.checks.map((entry) => runCheck(entry)));
    let status: HealthReport['status'] = 'up';
    results.forEach((result, i) => {
      if (result.status === 'down')
        status = this.checks[i]?.critical ? 'down' : status === 'down' ? 'down' : 'degraded';
      this.up?.set({ component: result.component }, result.status === 'up' ? 1 : 0);
      this.duration?.set({ component: result.component }, result.durationMs / 1000);
    });
    return { status, checks: results };
  }
}

async function runCheck({ name, check, timeoutMs }: RegisteredCheck): Promise<HealthCheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    // A hung check must not keep the process alive either.
    timer.unref();
  });
  let outcome: { status: 'up' | 'down'; details?: string };
  try {
    // `then(check)` turns a synchronous throw into a rejection; the race reads whatever a
    // hostile thenable offers inside the promise machinery, where a throw is a rejection too.
    const result: unknown = await Promise.race([Promise.resolve().then(check), timedOut]);
    if (result === 'timeout') outcome = { status: 'down', details: `timed out after ${timeoutMs} ms` };
    else if (result === false) outcome = { status: 'down', details: 'check returned false' };
    else outcome = typeof result === 'string' ? { status: 'up', details: limitDetails(result) } : { status: 'up' };
  } catch (error) {
    outcome = { status: 'down', details: limitDetails(describeFailure(error)) };
  } finally {
    clearTimeout(timer);
  }
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  return { component: name, ...outcome, durationMs };
}

/**
 * A readable line for whatever a check threw, Error or not. Never throws: a thrown value may be
 * a Proxy whose every property read throws, or an Error whose `message` getter does.
 */
export function describeFailure(error: unknown): string {
  try {
    if (error instanceof Error) {
      const name = String(error.name);
      const message = String(error.message);
      return message === '' ? name : `${name}: ${message}`;
    }
    if (typeof error === 'string') return error === '' ? 'check failed (threw an empty string)' : error;
    if (error === undefined || error === null) return `check failed (threw ${String(error)})`;
    if (typeof error !== 'object') return `check failed (threw ${String(error)})`;
  } catch {
    return UNDESCRIBABLE;
  }
  try {
    const json = JSON.stringify(error);
    return typeof json === 'string' ? `check failed (threw ${json})` : UNDESCRIBABLE;
  } catch {
    // Circular or otherwise unserialisable: say what it was, if even that can be read.
    try {
      return `check failed (threw ${Object.prototype.toString.call(error)})`;
    } catch {
      return UNDESCRIBABLE;
    }
  }
}

/** Longest `details` kept, in UTF-16 units: a check must not be able to bloat every report. */
const MAX_DETAILS_LENGTH = 1024;

function limitDetails(details: string): string {
  return details.length <= MAX_DETAILS_LENGTH ? details : `${details.slice(0, MAX_DETAILS_LENGTH)}… (truncated)`;
}

const UNDESCRIBABLE = 'check failed (threw a value that cannot be described)';
