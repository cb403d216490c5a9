import type { IncomingMessage, ServerResponse } from 'node:http';
import { Buffer } from 'node:buffer';
import type { Counter } from '../core/counter.js';
import type { Histogram } from '../core/histogram.js';
import type { Registry } from '../core/registry.js';
import type { SnapshotSource } from '../core/snapshot-source.js';
import { FORMATS, type ExpositionFormat } from '../exposition/formats.js';
import { acceptsGzip, negotiateFormat } from '../exposition/negotiate.js';
import { sendBody, sendStatus } from './endpoint.js';
import { scrapeBody } from './scrape-body.js';
import { SharedBody, type BodyReader } from './shared-body.js';
import type { TurnQueue } from './turn-queue.js';
import type { RenderBufferPool } from './render-buffers.js';

/** What every scrape of one `metricsHandler` shares. */
export interface ScrapeContext {
  readonly registry: Registry | SnapshotSource;
  readonly openMetrics: boolean;
  /** Whether a scraper that asks for protobuf gets it; default true. */
  readonly protobuf?: boolean;
  readonly gzip: boolean;
  /** How long a scrape waits for a collect function that returns a promise. */
  readonly collectTimeoutMs: number;
  readonly metrics: { readonly duration: Histogram; readonly errors: Counter<'cause'> };
  /** One slice of rendering per event-loop turn, across every scrape of this handler. */
  readonly turns: TurnQueue;
  /** The body being produced for each format and encoding, which new scrapes may join. */
  readonly bodies: Map<string, SharedBody>;
  /** Memory reused from one uncompressed text body to the next; absent: fresh memory per body. */
  readonly renderBuffers?: RenderBufferPool;
}

/** What the deadline of one scrape tells the code sending it. */
export interface ScrapeState {
  timedOut: boolean;
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
  // Reused memory only where its end is known: an uncompressed text body is done with once the
  // renderer has stopped and every reader has left (its response closed: all sent). A gzip
  // stream may still be reading a chunk on the thread pool after that.
  const loan = compress || format === 'protobuf' ? undefined : scrape.renderBuffers?.lend(2);
  const body = new SharedBody(
    scrapeBody(scrape.registry, format, compress, scrape.turns, scrape.collectTimeoutMs, loan),
    JOIN_WINDOW_BYTES,
    JOIN_WINDOW_MS,
    loan?.release,
  );
  scrape.bodies.set(key, body);
  return body;
}

/** Never rejects: every failure is answered (or the connection dropped) and counted. */
export async function serveScrape(
  scrape: ScrapeContext,
  state: ScrapeState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const format = negotiateFormat(request.headers.accept, scrape.openMetrics, scrape.protobuf ?? true);
  const compress = scrape.gzip && acceptsGzip(request.headers['accept-encoding']);
  const { contentType } = FORMATS[format];
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
    if (second === undefined)
      await finish(response, () => sendBody(response, 200, contentType, first ?? Buffer.alloc(0), headers));
    else
      await stream(
        response,
        request.method === 'HEAD',
        { 'Content-Type': contentType, 'Cache-Control': 'no-store', ...headers },
        [first as Buffer, second],
        body,
        reader,
      );
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
async function stream(
  response: ServerResponse,
  head: boolean,
  headers: Record<string, string>,
  firstChunks: readonly Buffer[],
  body: SharedBody,
  reader: BodyReader,
): Promise<void> {
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
