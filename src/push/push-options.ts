import type { RegistrySnapshot } from '../core/snapshot.js';
import { PromliteError } from '../errors.js';
import {
  checkOptions,
  describeValue,
  hasMethods,
  integerIn,
  isObject,
  isString,
  type OptionCheck,
} from '../options.js';
import { checkGroupingKey, type GroupLabels, groupPath } from './grouping-key.js';

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

/** {@link PushOptions} checked, defaults filled in. */
export interface PushPlan {
  readonly method: PushMethod;
  /** The group's URL, credentials left out (they are in `headers`). */
  readonly target: URL;
  readonly labels: GroupLabels;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
}

const OWNER = 'pushMetrics';
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
 * Checks `pushMetrics`' options and works out the request.
 * @throws PromliteError `INVALID_OPTIONS` naming the option and the value (headers by type only).
 */
export function planPush(options: PushOptions): PushPlan {
  checkOptions(OWNER, options, CHECKS, { secret: ['headers'] });
  if (options === undefined) {
    throw new PromliteError('INVALID_OPTIONS', `${OWNER}: options with "url" and "job" are required`);
  }
  const method = options.method ?? 'PUT';
  const base = checkUrl(options.url);
  const labels = checkGroupingKey(OWNER, options.job, options.groupingKey);
  const headers = checkHeaders(options.headers, base);
  checkSource(options, method);
  const target = new URL(base.href);
  target.pathname = `${base.pathname.replace(/\/+$/, '')}${groupPath(labels)}`;
  // Sent as a header (checkHeaders), never left in a URL that an error message could show.
  target.username = '';
  target.password = '';
  return { method, target, labels, headers, timeoutMs: options.timeoutMs ?? 10_000 };
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
  const basic = `${decodeCredential(url.username)}:${decodeCredential(url.password)}`;
  const headers: Record<string, string> =
    url.username === '' && url.password === ''
      ? {}
      : { authorization: `Basic ${Buffer.from(basic, 'utf8').toString('base64')}` };
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

/** A user or password of the URL, percent-decoded. */
function decodeCredential(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new PromliteError('INVALID_OPTIONS', `${OWNER}: option "url" has a user or password with a broken %-escape`);
  }
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
