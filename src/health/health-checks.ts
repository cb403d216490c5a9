import { PromliteError } from '../errors.js';
import type { Gauge } from '../gauge.js';
import type { Registry } from '../registry.js';

/**
 * Checks one dependency. Throwing (anything) or returning `false` means down; any other value
 * means up, and a string returned is shown as `details`. May be sync or async.
 */
export type HealthCheck = () => unknown;

/** Options of one check. */
export interface HealthCheckOptions {
  /** A critical check that fails makes the whole status `down` (503); others make it `degraded` (200). Default `true`. */
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

  constructor(registry?: Registry) {
    this.up = registry?.gauge({ name: 'health_check_up', help: 'Whether the last run of each health check passed (1) or failed (0).', labelNames: ['component'] });
    this.duration = registry?.gauge({ name: 'health_check_duration_seconds', help: 'Duration of the last run of each health check, in seconds.', labelNames: ['component'] });
  }

  /**
   * Adds a check. Returns `this`, for chaining.
   * @throws PromliteError `INVALID_OPTIONS` for an empty or repeated name, a non-function or a bad timeout.
   */
  add(name: string, check: HealthCheck, options: HealthCheckOptions = {}): this {
    const { critical = true, timeoutMs = 5000 } = options;
    if (typeof name !== 'string' || name === '') throw new PromliteError('INVALID_OPTIONS', 'health check: the name must be a non-empty string');
    if (this.checks.some((existing) => existing.name === name)) throw new PromliteError('INVALID_OPTIONS', `health check "${name}": added twice`);
    if (typeof check !== 'function') throw new PromliteError('INVALID_OPTIONS', `health check "${name}": the check must be a function`);
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new PromliteError('INVALID_OPTIONS', `health check "${name}": timeoutMs must be a positive number, got ${String(timeoutMs)}`);
    }
    this.checks.push({ name, check, critical, timeoutMs });
    return this;
  }

  /** Runs every check at once and reports. Never rejects; takes at most the longest timeout. */
  async run(): Promise<HealthReport> {
    const results = await Promise.all(this.checks.map((entry) => runCheck(entry)));
    let status: HealthReport['status'] = 'up';
    results.forEach((result, i) => {
      if (result.status === 'down') status = this.checks[i]?.critical ? 'down' : status === 'down' ? 'down' : 'degraded';
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
    const result = await Promise.race([Promise.resolve().then(check), timedOut]);
    if (result === 'timeout') outcome = { status: 'down', details: `timed out after ${timeoutMs} ms` };
    else if (result === false) outcome = { status: 'down', details: 'check returned false' };
    else outcome = typeof result === 'string' ? { status: 'up', details: result } : { status: 'up' };
  } catch (error) {
    outcome = { status: 'down', details: describeFailure(error) };
  } finally {
    clearTimeout(timer);
  }
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  return { component: name, ...outcome, durationMs };
}

/** A readable line for whatever a check threw, Error or not. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error === '' ? 'check failed (threw an empty string)' : error;
  if (error === undefined || error === null) return `check failed (threw ${String(error)})`;
  try {
    return `check failed (threw ${JSON.stringify(error)})`;
  } catch {
    // Circular or otherwise unserialisable: say what it was.
    return `check failed (threw ${Object.prototype.toString.call(error)})`;
  }
}
