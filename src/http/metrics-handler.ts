import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { promisify } from 'node:util';
import { constants as zlib, createGzip, gzip } from 'node:zlib';
import { Buffer } from 'node:buffer';
import type { Counter } from '../counter.js';
import { PromliteError } from '../errors.js';
import type { Histogram } from '../histogram.js';
import type { Registry } from '../registry.js';
import { OPENMETRICS_CONTENT_TYPE, renderOpenMetricsChunks } from '../render-openmetrics.js';
import { renderChunks, TEXT_CONTENT_TYPE } from '../render.js';
import { admitRequest, assertPath, createAccessGuard, pathOf, type AccessOptions } from './guard.js';
import { acceptsGzip, negotiateFormat } from './negotiate.js';
import { sendStatus } from './responses.js';

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
}

/** A `node:http` request listener that also works as express/connect middleware. */
export type MetricsHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void;

// zlib's async API compresses on the thread pool, off the event loop.
const gzipAsync = promisify(gzip);

/** Bodies larger than this are streamed in pieces of this size. */
const CHUNK_SIZE = 128 * 1024;
/** Longest stretch of rendering before a streamed scrape lets other work run. */
const SLICE_MS = 5;
/**
 * Exposition text is so repetitive that the fastest level compresses it ~20× anyway, at about
 * a third of the default level's CPU time.
 */
const GZIP_OPTIONS = { level: zlib.Z_BEST_SPEED };

/**
 * Serves a registry's metrics over HTTP: GET and HEAD on the path, text 0.0.4 or OpenMetrics
 * by the `Accept` header, gzip by `Accept-Encoding`, access by bearer token and/or client
 * address (loopback only when neither is configured). Paths it does not own go to `next()`
 * when given, or get 404. Registers `<prefix>promlite_scrape_duration_seconds` and
 * `<prefix>promlite_scrape_errors_total{cause}` in the registry.
 * @throws PromliteError `INVALID_CONFIG` for a bad path, token, address range or limit.
 * @example
 * http.createServer(metricsHandler(registry, { token: process.env.METRICS_TOKEN })).listen(9464);
 */
export function metricsHandler(registry: Registry, options: MetricsHandlerOptions = {}): MetricsHandler {
  const path = options.path ?? '/metrics';
  assertPath('metrics handler', path);
  const maxConcurrent = options.maxConcurrentScrapes ?? 10;
  if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new PromliteError('INVALID_CONFIG', `metrics handler: maxConcurrentScrapes must be a positive integer, got ${String(maxConcurrent)}`);
  }
  const enabled = options.enabled ?? true;
  const guard = createAccessGuard(options);
  const scrape: ScrapeContext = {
    registry,
    openMetrics: options.openMetrics ?? true,
    gzip: options.gzip ?? true,
    metrics: registerScrapeMetrics(registry),
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
    response.once('close', () => inFlight--);
    void serveScrape(scrape, request, response);
  };
}

interface ScrapeContext {
  readonly registry: Registry;
  readonly openMetrics: boolean;
  readonly gzip: boolean;
  readonly metrics: { readonly duration: Histogram; readonly errors: Counter<'cause'> };
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
      help: 'Scrapes refused or failed, by cause: unauthorized, forbidden, overloaded, render, aborted.',
      labelNames: ['cause'],
    }),
  };
}

/** Never rejects: every failure is answered (or the connection dropped) and counted. */
async function serveScrape(scrape: ScrapeContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now();
  const format = negotiateFormat(request.headers.accept, scrape.openMetrics);
  const compress = scrape.gzip && acceptsGzip(request.headers['accept-encoding']);
  const headers: Record<string, string> = {
    'Content-Type': format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE,
    'Cache-Control': 'no-store',
    Vary: 'Accept, Accept-Encoding',
  };
  if (compress) headers['Content-Encoding'] = 'gzip';
  let chunks: Generator<Buffer, void, undefined>;
  let first: IteratorResult<Buffer, void>;
  let second: IteratorResult<Buffer, void>;
  try {
    const snapshot = scrape.registry.snapshot();
    chunks = format === 'openmetrics' ? renderOpenMetricsChunks(snapshot, CHUNK_SIZE) : renderChunks(snapshot, CHUNK_SIZE);
    first = chunks.next();
    second = first.done ? first : chunks.next();
  } catch {
    scrape.metrics.errors.inc({ cause: 'render' });
    sendStatus(response, 500);
    return;
  }
  try {
    if (second.done) {
      // Small enough to send whole, with a Content-Length.
      const body = first.done ? Buffer.alloc(0) : first.value;
      await sendWhole(response, request.method === 'HEAD', headers, compress ? await gzipAsync(body, GZIP_OPTIONS) : body);
    } else {
      await stream(response, request.method === 'HEAD', headers, compress, [first.value as Buffer, second.value], chunks);
    }
    scrape.metrics.duration.observe((performance.now() - started) / 1000);
  } catch (error) {
    // Headers are gone: the only honest signal left is a broken response, never a truncated
    // body that looks complete.
    scrape.metrics.errors.inc({ cause: error instanceof ClientGone ? 'aborted' : 'render' });
    response.destroy();
  }
}

class ClientGone extends Error {}

function sendWhole(response: ServerResponse, head: boolean, headers: Record<string, string>, body: Buffer): Promise<void> {
  response.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
  return finish(response, () => response.end(head ? undefined : body));
}

/** Calls `end`, then resolves once the response is out, or rejects when the client left first. */
function finish(response: ServerResponse, end: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    response.once('close', () => (response.writableFinished ? resolve() : reject(new ClientGone())));
    end();
  });
}

/**
 * Streams the chunks, rendering each only when the previous one is handed to the socket and
 * yielding to the event loop every few milliseconds, so a large registry neither blocks other
 * work nor piles up in memory behind a slow client.
 */
async function stream(
  response: ServerResponse,
  head: boolean,
  headers: Record<string, string>,
  compress: boolean,
  firstChunks: readonly Buffer[],
  rest: Generator<Buffer, void, undefined>,
): Promise<void> {
  response.writeHead(200, headers);
  if (head) {
    response.end();
    return;
  }
  const sink = compress ? createGzip(GZIP_OPTIONS) : response;
  if (compress) {
    sink.pipe(response);
    response.once('close', () => sink.destroy());
  }
  const write = async (chunk: Buffer) => {
    if (response.destroyed) throw new ClientGone();
    if (!sink.write(chunk)) await waitForDrain(sink, response);
  };
  for (const chunk of firstChunks) await write(chunk);
  let sliceStart = performance.now();
  for (const chunk of rest) {
    await write(chunk);
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  await finish(response, () => sink.end());
}

function waitForDrain(sink: NodeJS.WritableStream, response: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new ClientGone());
    response.once('close', onClose);
    sink.once('drain', () => {
      response.off('close', onClose);
      resolve();
    });
  });
}
