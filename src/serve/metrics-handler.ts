import type { IncomingMessage, ServerResponse } from 'node:http';
import { Buffer } from 'node:buffer';
import type { Counter } from '../core/counter.js';
import type { Histogram } from '../core/histogram.js';
import { checkArgument, checkOptions, integerIn, isBoolean, isRegistry, isString } from '../options.js';
import type { Registry } from '../core/registry.js';
import { OPENMETRICS_CONTENT_TYPE } from '../exposition/openmetrics.js';
import { TEXT_CONTENT_TYPE } from '../exposition/text.js';
import { ACCESS_OPTION_CHECKS, createAccessGuard, type AccessOptions } from './access/guard.js';
import { DEFAULT_METRICS_CONFIG } from './config.js';
import { acceptsGzip, negotiateFormat, type ExpositionFormat } from '../exposition/negotiate.js';
import { admitRequest, assertPath, pathOf, sendBody, sendStatus } from './endpoint.js';
import { scrapeBody } from './scrape-body.js';
import { SharedBody, type BodyReader } from './shared-body.js';
import { TurnQueue } from './turn-queue.js';

/** Options of {@link metricsHandler}; `{}` serves `/metrics` to loopback clients only. */
export interface MetricsHandlerOptions extends AccessOptions {
  /** `false` answers the path with 404, exactly like an unknown path. Default `true`. */
  readonly enabled?: boolean | undefined;
  /** Default `/metrics`. */
  readonly path?: string | undefined;
  /** Answer OpenMetrics when the client prefers it. Default `true`. */
  readonly openMetrics?: boolean | undefined;
  /** Compress when the client accepts gzip. Default `true`. */
  readonly gzip?: boolean | undefined;
  /** Scrapes answered at once; more get 503. Default 10. */
  readonly maxConcurrentScrapes?: number | undefined;
  /**
   * A scrape whose client has not taken the whole response this many milliseconds after the
   * request is cut off, its slot freed, and counted as `timeout`. Default 10,000 (Prometheus's
   * default scrape timeout).
   */
  readonly scrapeTimeoutMs?: number | undefined;
}

/** The keys and checks of {@link MetricsHandlerOptions}, for the functions that pass them on. */
export const METRICS_HANDLER_OPTION_CHECKS = {
  ...ACCESS_OPTION_CHECKS,
  enabled: isBoolean,
  path: isString,
  openMetrics: isBoolean,
  gzip: isBoolean,
  maxConcurrentScrapes: integerIn(1, 100_000),
  scrapeTimeoutMs: integerIn(1, 3_600_000),
} as const;

/** A `node:http` request listener that also works as express/connect middleware. */
export type MetricsHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Serves a registry's metrics over HTTP: GET and HEAD on the path, text 0.0.4 or OpenMetrics
 * by the `Accept` header, gzip by `Accept-Encoding`, access by bearer token and/or client
 * address (loopback only when neither is configured). Paths it does not own go to `next()`
 * when given, or get 404. Concurrent scrapes that ask for the same format and encoding share
 * one snapshot and render; large ones are done in slices of a few milliseconds, one per
 * event-loop turn. Registers `<prefix>promlite_scrape_duration_seconds` and
 * `<prefix>promlite_scrape_errors_total{cause}` in the registry.
 * @throws PromliteError `INVALID_CONFIG` for a bad or unknown option, path, token, address range or limit.
 * @example
 * http.createServer(metricsHandler(registry, { token: process.env.METRICS_TOKEN })).listen(9464);
 */
export function metricsHandler(registry: Registry, options: MetricsHandlerOptions = {}): MetricsHandler {
  checkArgument('metricsHandler', registry, isRegistry, 'INVALID_CONFIG');
  checkOptions('metricsHandler', options, METRICS_HANDLER_OPTION_CHECKS, { code: 'INVALID_CONFIG', secret: ['token'] });
  const path = options.path ?? DEFAULT_METRICS_CONFIG.path;
  assertPath('metrics handler', path);
  const maxConcurrent = options.maxConcurrentScrapes ?? 10;
  const scrapeTimeoutMs = options.scrapeTimeoutMs ?? 10_000;
  const enabled = options.enabled ?? DEFAULT_METRICS_CONFIG.enabled;
  const guard = createAccessGuard(options, 'metricsHandler');
  const scrape: ScrapeContext = {
    registry,
    openMetrics: options.openMetrics ?? true,
    gzip: options.gzip ?? true,
    metrics: registerScrapeMetrics(registry),
    turns: new TurnQueue(),
    bodies: new Map(),
  };
  let inFlight = 0;
  const countRefusal = (status: 401 | 403) => scrape.metrics.errors.inc({ cause: status === 401 ? 'unauthorized' : 'forbidden' });

  return (request, response, next) => {
    const owned = enabled && pathOf(request.url) === path;
    if (!admitRequest(request, response, owned, guard, next, countRefusal)) return;
    if (inFlight >= maxConcurrent) {
      scrape.metrics.errors.inc({ cause: 'overloaded' });
      sendStatus(response, 503);
      return;
    }
    inFlight++;
    const state: ScrapeState = { timedOut: false };
    // A client that stops reading must not hold a slot for longer than a scrape may take.
    const deadline = setTimeout(() => {
      state.timedOut = true;
      scrape.metrics.errors.inc({ cause: 'timeout' });
      response.destroy();
    }, scrapeTimeoutMs);
    deadline.unref();
    response.once('close', () => {
      inFlight--;
      clearTimeout(deadline);
    });
    void serveScrape(scrape, state, request, response);
  };
}

interface ScrapeContext {
  readonly registry: Registry;
  readonly openMetrics: boolean;
  readonly gzip: boolean;
  readonly metrics: { readonly duration: Histogram; readonly errors: Counter<'cause'> };
  /** One slice of rendering per event-loop turn, across every scrape of this handler. */
  readonly turns: TurnQueue;
  /** The body being produced for each format and encoding, which new scrapes may join. */
  readonly bodies: Map<string, SharedBody>;
}

interface ScrapeState {
  timedOut: boolean;
}

function registerScrapeMetrics(registry: Registry): ScrapeContext['metrics'] {
  return {
    duration: registry.histogram({
      name: 'promlite_scrape_duration_seconds',
      help: 'Time to answer a scrape of /metrics: snapshot, render, compression and sending.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    errors: registry.counter({
      name: 'promlite_scrape_errors_total',
      help: 'Scrapes refused or failed, by cause: unauthorized, forbidden, overloaded, render, aborted, timeout.',
      labelNames: ['cause'],
    }),
  };
}

/**
 * How much of a body is kept from its start so that scrapes arriving while it is produced can
 * still share it (a bound on the extra memory sharing costs), and for how long after its start
 * (a bound on how old a shared snapshot can be).
 */
const JOIN_WINDOW_BYTES = 8 * 1024 * 1024;
const JOIN_WINDOW_MS = 250;

/** The body for a format and encoding: the one being produced, if it can still be joined, or a new one. */
function bodyFor(scrape: ScrapeContext, format: ExpositionFormat, compress: boolean): SharedBody {
  const key = `${format} ${compress ? 'gzip' : 'identity'}`;
  const current = scrape.bodies.get(key);
  if (current?.joinable) return current;
  const body = new SharedBody(scrapeBody(scrape.registry, format, compress, scrape.turns), JOIN_WINDOW_BYTES, JOIN_WINDOW_MS);
  scrape.bodies.set(key, body);
  return body;
}

/** Never rejects: every failure is answered (or the connection dropped) and counted. */
async function serveScrape(scrape: ScrapeContext, state: ScrapeState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now();
  const format = negotiateFormat(request.headers.accept, scrape.openMetrics);
  const compress = scrape.gzip && acceptsGzip(request.headers['accept-encoding']);
  const contentType = format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
  const headers: Record<string, string> = { Vary: 'Accept, Accept-Encoding' };
  if (compress) headers['Content-Encoding'] = 'gzip';
  const body = bodyFor(scrape, format, compress);
  const reader = body.join();
  response.once('close', () => body.leave(reader));
  let first: Buffer | undefined;
  let second: Buffer | undefined;
  try {
    first = await body.read(reader);
    second = first === undefined ? undefined : await body.read(reader);
  } catch {
    scrape.metrics.errors.inc({ cause: 'render' });
    if (!response.headersSent && !response.destroyed) sendStatus(response, 500);
    return;
  }
  try {
    if (response.destroyed) throw new ClientGone();
    if (second === undefined) await finish(response, () => sendBody(response, 200, contentType, first ?? Buffer.alloc(0), headers));
    else await stream(response, request.method === 'HEAD', { 'Content-Type': contentType, 'Cache-Control': 'no-store', ...headers }, [first as Buffer, second], body, reader);
    scrape.metrics.duration.observe((performance.now() - started) / 1000);
  } catch (error) {
    // Headers are gone: the only honest signal left is a broken response, never a truncated
    // body that looks complete. A scrape cut off by its deadline was counted there.
    if (!state.timedOut) scrape.metrics.errors.inc({ cause: error instanceof ClientGone ? 'aborted' : 'render' });
    response.destroy();
  }
}

class ClientGone extends Error {}

/** Calls `end`, then resolves once the response is out, or rejects when the client left first. */
function finish(response: ServerResponse, end: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (response.destroyed) {
      reject(new ClientGone());
      return;
    }
    response.once('close', () => (response.writableFinished ? resolve() : reject(new ClientGone())));
    end();
  });
}

/**
 * Streams the body chunk by chunk, taking the next chunk only when the socket has taken the
 * previous ones, so a slow client neither piles up memory nor slows the scrapes it shares the
 * body with.
 */
async function stream(response: ServerResponse, head: boolean, headers: Record<string, string>, firstChunks: readonly Buffer[], body: SharedBody, reader: BodyReader): Promise<void> {
  response.writeHead(200, headers);
  if (head) {
    await finish(response, () => response.end());
    return;
  }
  const write = async (chunk: Buffer) => {
    if (response.destroyed) throw new ClientGone();
    if (!response.write(chunk)) await waitForDrain(response);
  };
  for (const chunk of firstChunks) await write(chunk);
  for (let chunk = await body.read(reader); chunk !== undefined; chunk = await body.read(reader)) await write(chunk);
  await finish(response, () => response.end());
}

function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new ClientGone());
    response.once('close', onClose);
    response.once('drain', () => {
      response.off('close', onClose);
      resolve();
    });
  });
}
