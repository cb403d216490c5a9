import type { RegistrySnapshot } from '../core/snapshot.js';
import { PromliteError } from '../errors.js';
import { render, TEXT_CONTENT_TYPE } from '../exposition/text.js';
import {
  checkOptions,
  describeValue,
  hasMethods,
  integerIn,
  isObject,
  isString,
  type OptionCheck,
} from '../options.js';
import { assertSeriesAgree, checkGroupingKey, groupPath } from './grouping-key.js';
import { type Answer, sendRequest } from './send-request.js';

/**
 * What a push does to its group. `PUT` replaces the whole group with what is sent; `POST`
 * replaces only the metrics of the same names, keeping the group's others; `DELETE` removes
 * the group.
 */
export type PushMethod = 'PUT' | 'POST' | 'DELETE';

/** Options of {@link pushMetrics}. `url` and `job` are required, and for `PUT` and `POST` one of `registry` and `snapshot`. */
export interface PushOptions {
  /** The gateway's base URL, `http:` or `https:` (`http://pushgateway:9091`); a path prefix is kept. User and password in it become Basic authentication. */
  readonly url: string;
  /** The `job` label of the group. */
  readonly job: string;
  /** More labels naming the group (`{ instance: 'host-1' }`); values may be empty or hold `/`. */
  readonly groupingKey?: Readonly<Record<string, string>>;
  /** Where the metrics come from: its `snapshotAsync()`, so that async collect functions are awaited. */
  readonly registry?: { snapshotAsync(options?: { timeoutMs?: number }): Promise<RegistrySnapshot> };
  /** Or a snapshot already taken (a merged one, say). */
  readonly snapshot?: RegistrySnapshot;
  /** Default `PUT`. */
  readonly method?: PushMethod;
  /** The whole push — collecting, sending, reading the answer — gives up after this long. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Extra request headers (`{ authorization: 'Bearer …' }`); their values never appear in errors. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the gateway answered a push that succeeded. */
export interface PushResult {
  /** The HTTP status (the Pushgateway answers 200 to `PUT`/`POST`, 202 to `DELETE`). */
  readonly status: number;
  /** The group's URL the request went to, credentials left out. */
  readonly url: string;
}

const OWNER = 'pushMetrics';
const DEFAULT_TIMEOUT_MS = 10_000;
/** How much of the gateway's answer a message quotes. */
const MAX_QUOTED = 500;
/** The headers a push sets itself. */
const OWN_HEADERS = new Set(['content-type', 'content-length', 'host', 'transfer-encoding', 'connection']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const CHECKS: Readonly<Record<string, OptionCheck>> = {
  url: isString,
  job: isString,
  groupingKey: isObject,
  registry: hasMethods('a Registry (an object with snapshotAsync)', 'snapshotAsync'),
  snapshot: (value) =>
    isObject(value) === undefined && Array.isArray((value as { families?: unknown }).families)
      ? undefined
      : 'a RegistrySnapshot (an object with a families array)',
  method: (value) =>
    value === 'PUT' || value === 'POST' || value === 'DELETE' ? undefined : '"PUT", "POST" or "DELETE"',
  timeoutMs: integerIn(1, 600_000),
  headers: isObject,
};

/**
 * Pushes the metrics of a registry (or a snapshot) to a Prometheus Pushgateway, in text format
 * 0.0.4, into the group named by `job` and `groupingKey`; or, with `method: 'DELETE'`, removes
 * that group. Meant for jobs that end before any scrape (cron jobs, batch scripts). The registry
 * is only read: nothing is reset.
 *
 * Never throws and never leaves a rejection unhandled inside: every failure is the returned
 * promise's rejection with a `PromliteError` — `INVALID_OPTIONS` for bad options,
 * `INVALID_LABELS` for series carrying a grouping label with another value (the gateway would
 * silently overwrite it), `PUSH_FAILED` for a non-2xx answer (the message quotes the gateway's,
 * truncated), a network error or the timeout (`cause` holds the error underneath).
 * @example
 * registry.observeJob('nightly-report', 'success', seconds);
 * await pushMetrics({ url: 'http://pushgateway:9091', job: 'nightly-report', registry });
 */
export async function pushMetrics(options: PushOptions): Promise<PushResult> {
  checkOptions(OWNER, options, CHECKS, { secret: ['headers'] });
  if (options === undefined)
    throw new PromliteError('INVALID_OPTIONS', `${OWNER}: options with "url" and "job" are required`);
  const method = options.method ?? 'PUT';
  const base = checkUrl(options.url);
  const labels = checkGroupingKey(OWNER, options.job, options.groupingKey);
  const headers = checkHeaders(options.headers, base);
  checkSource(options, method);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = new URL(base.href);
  target.pathname = `${base.pathname.replace(/\/+$/, '')}${groupPath(labels)}`;
  // Sent as a header (checkHeaders), never left in a URL that an error message could show.
  target.username = '';
  target.password = '';
  const shown = `${target.origin}${target.pathname}`;

  const deadline = new AbortController();
  const timer = setTimeout(
    () =>
      deadline.abort(new PromliteError('PUSH_FAILED', `${OWNER}: ${method} ${shown} timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    let body: Buffer | undefined;
    if (method !== 'DELETE') {
      const snapshot = await takeSnapshot(options, timeoutMs, deadline.signal);
      assertSeriesAgree(OWNER, snapshot, labels);
      body = Buffer.from(render(snapshot), 'utf8');
      headers['content-type'] = TEXT_CONTENT_TYPE;
    }
    const answer = await sendRequest({
      url: target,
      method,
      headers,
      signal: deadline.signal,
      ...(body && { body }),
    }).catch((error: unknown) => {
      if (error instanceof PromliteError) throw error;
      throw new PromliteError('PUSH_FAILED', `${OWNER}: ${method} ${shown} failed: ${networkProblem(error)}`, {
        cause: error,
      });
    });
    if (answer.status < 200 || answer.status > 299) throw refused(method, shown, answer);
    return { status: answer.status, url: shown };
  } finally {
    clearTimeout(timer);
  }
}

/** The registry's snapshot (async collects awaited), or the given one; both bounded by the deadline. */
async function takeSnapshot(options: PushOptions, timeoutMs: number, signal: AbortSignal): Promise<RegistrySnapshot> {
  if (options.snapshot !== undefined) return options.snapshot;
  const registry = options.registry as NonNullable<PushOptions['registry']>;
  let pending: Promise<RegistrySnapshot>;
  try {
    // Half the budget for slow collects: one that hangs is left out (and counted, as in a
    // scrape), and the rest still has time to reach the gateway.
    pending = Promise.resolve(registry.snapshotAsync({ timeoutMs: Math.max(1, Math.floor(timeoutMs / 2)) }));
  } catch (error) {
    throw new PromliteError('PUSH_FAILED', `${OWNER}: the registry's snapshot failed: ${networkProblem(error)}`, {
      cause: error,
    });
  }
  // A registry from elsewhere may not honour its own timeout: the deadline ends the wait anyway.
  return new Promise<RegistrySnapshot>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    pending.then(
      (snapshot) => {
        signal.removeEventListener('abort', abort);
        resolve(snapshot);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(
          new PromliteError('PUSH_FAILED', `${OWNER}: the registry's snapshot failed: ${networkProblem(error)}`, {
            cause: error,
          }),
        );
      },
    );
  });
}

function checkUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `${OWNER}: option "url" must be an http: or https: URL, got ${describeValue(url)}`,
    );
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `${OWNER}: option "url" must be the gateway's base URL, without a query or fragment`,
    );
  }
  return parsed;
}

/** The request headers: the user's, checked and lower-cased, with Basic auth from the URL's credentials. */
function checkHeaders(given: Readonly<Record<string, string>> | undefined, url: URL): Record<string, string> {
  const headers: Record<string, string> = {};
  if (url.username !== '' || url.password !== '') {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers['authorization'] = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }
  for (const [name, value] of Object.entries(given ?? {})) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name) || OWN_HEADERS.has(lower)) {
      throw new PromliteError(
        'INVALID_OPTIONS',
        `${OWNER}: header ${JSON.stringify(name)} is not a header name a push may set`,
      );
    }
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new PromliteError('INVALID_OPTIONS', `${OWNER}: header "${name}" must be a string without line breaks`);
    }
    headers[lower] = value;
  }
  return headers;
}

/** Exactly one of `registry` and `snapshot` for `PUT` and `POST`; neither for `DELETE`. */
function checkSource(options: PushOptions, method: PushMethod): void {
  const given = [options.registry, options.snapshot].filter((source) => source !== undefined).length;
  if (method === 'DELETE' && given > 0) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `${OWNER}: DELETE removes the whole group and sends no metrics: leave out "registry" and "snapshot"`,
    );
  }
  if (method !== 'DELETE' && given !== 1) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `${OWNER}: ${method} needs exactly one of "registry" and "snapshot", got ${given === 0 ? 'neither' : 'both'}`,
    );
  }
}

/** The gateway's refusal as an error that quotes it. */
function refused(method: string, shown: string, answer: Answer): PromliteError {
  const text = answer.body.trim();
  const quoted = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}… (${text.length} characters)` : text;
  return new PromliteError(
    'PUSH_FAILED',
    `${OWNER}: the Pushgateway answered ${method} ${shown} with ${answer.status} ${answer.statusText}${quoted === '' ? '' : `: ${quoted}`}`,
  );
}

/** A network error in one line: its code (ECONNREFUSED) and message. Never throws. */
function networkProblem(error: unknown): string {
  if (!(error instanceof Error)) return describeValue(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}
