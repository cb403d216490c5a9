import { PromliteError } from '../errors.js';
import { describeFailure, limitDetails } from './check-failure.js';
import type { Gauge } from '../core/gauge.js';
import {
  checkArgument,
  checkOptions,
  integerIn,
  isBoolean,
  isPositiveNumber,
  isRegistry,
  type OptionCheck,
} from '../options.js';
import type { Registry } from '../core/registry.js';

/**
 * Checks one dependency. Throwing (anything) or returning `false` means down; any other value
 * means up, and a string returned is shown as `details`. May be sync or async.
 */
export type HealthCheck = () => unknown;

/** The probe a check answers for: liveness (the process itself) or readiness (what it depends on). */
export type HealthProbe = 'live' | 'ready';

/** Options of one check. */
export interface HealthCheckOptions {
  /**
   * The probes that run this check: `['ready']` (the default) for a dependency, `['live']` for
   * the process itself (a stuck worker, an exhausted pool), or both. The summary runs every check.
   */
  readonly probes?: readonly HealthProbe[];
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
  readonly probes: readonly HealthProbe[];
}

/** Which checks a run covers: one probe's, or all of them (the summary). */
type RunScope = HealthProbe | 'all';

const isProbes: OptionCheck = (value) =>
  Array.isArray(value) && value.length > 0 && value.every((probe) => probe === 'live' || probe === 'ready')
    ? undefined
    : 'a non-empty array of "live" and "ready"';

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
  private readonly inFlight = new Map<RunScope, Promise<HealthReport>>();
  private readonly lastReports = new Map<RunScope, { readonly report: HealthReport; readonly at: number }>();

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
    checkOptions(`health check "${name}"`, options, {
      critical: isBoolean,
      timeoutMs: isPositiveNumber,
      probes: isProbes,
    });
    const { critical = true, timeoutMs = 5000, probes = ['ready'] } = options;
    this.checks.push({ name, check, critical, timeoutMs, probes: [...probes] });
    return this;
  }

  /**
   * Runs the checks of one probe (`live`, `ready`), or every check, at once and reports.
   * Requests that come while a run of the same scope is in flight share it, so a burst of
   * probes runs each check once. Never rejects, whatever the checks throw, return or leave
   * hanging; takes at most the longest timeout. A probe with no checks reports `up`.
   */
  run(probe?: HealthProbe): Promise<HealthReport> {
    const scope: RunScope = probe === 'live' || probe === 'ready' ? probe : 'all';
    const inFlight = this.inFlight.get(scope);
    if (inFlight !== undefined) return inFlight;
    const last = this.lastReports.get(scope);
    if (last !== undefined && performance.now() - last.at < this.reuseResultMs) return Promise.resolve(last.report);
    const run = this.runChecks(scope)
      // Unreachable in practice (runCheck never rejects), but run() must not reject whatever happens.
      .catch((): HealthReport => ({ status: 'down', checks: [] }))
      .then((report) => {
        this.inFlight.delete(scope);
        this.lastReports.set(scope, { report, at: performance.now() });
        return report;
      });
    this.inFlight.set(scope, run);
    return run;
  }

  private async runChecks(scope: RunScope): Promise<HealthReport> {
    const checks = scope === 'all' ? this.checks : this.checks.filter((entry) => entry.probes.includes(scope));
    const results = await Promise.all(checks.map((entry) => runCheck(entry)));
    let status: HealthReport['status'] = 'up';
    results.forEach((result, i) => {
      if (result.status === 'down') status = checks[i]?.critical ? 'down' : status === 'down' ? 'down' : 'degraded';
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
