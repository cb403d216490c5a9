import { Buffer } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { constants as zlib, createGzip, gzip } from 'node:zlib';
import type { Registry } from '../core/registry.js';
import type { RegistrySnapshot } from '../core/snapshot.js';
import type { SnapshotSource } from '../core/snapshot-source.js';
import { isRegistry } from '../options.js';
import { FORMATS, type ExpositionFormat } from '../exposition/formats.js';
import type { TurnQueue } from './turn-queue.js';
import type { BufferLoan } from './render-buffers.js';

/** Bodies larger than this are streamed in pieces of this size. */
export const CHUNK_SIZE = 128 * 1024;
/** Longest stretch of synchronous work (snapshot, render) before a scrape waits for its next turn. */
const SLICE_MS = 5;
/**
 * Exposition text is so repetitive that the fastest level compresses it ~20× anyway, at about
 * a third of the default level's CPU time.
 */
const GZIP_OPTIONS = { level: zlib.Z_BEST_SPEED };
// zlib's async API compresses on the thread pool, off the event loop.
const gzipAsync = promisify(gzip);
const EMPTY = Buffer.alloc(0);

/**
 * The body of one scrape, as chunks: the registry's (or source's) snapshot rendered in `format`, gzipped when
 * asked. A body that fits in one chunk comes as exactly one chunk (so it can be sent with a
 * Content-Length); a larger one is streamed, through one gzip stream when compressed.
 * Snapshot and render are done in slices of a few milliseconds, each in its own turn of
 * `turns`, starting one turn after the call, so that scrapes arriving together can share it.
 */
export async function* scrapeBody(
  registry: Registry | SnapshotSource,
  format: ExpositionFormat,
  compress: boolean,
  turns: TurnQueue,
  collectTimeoutMs: number,
  loan?: BufferLoan,
): AsyncGenerator<Buffer, void, undefined> {
  const plain = renderInSlices(registry, format, turns, collectTimeoutMs, loan);
  try {
    const first = await plain.next();
    const second = first.done ? first : await plain.next();
    if (second.done) {
      const whole = first.done ? EMPTY : first.value;
      yield compress ? await gzipAsync(whole, GZIP_OPTIONS) : whole;
      return;
    }
    const all = concat([first.value as Buffer, second.value], plain);
    if (compress) yield* gzipped(all);
    else yield* all;
  } finally {
    // A body stopped before its chunks were asked for still ends its renderer (and its loan).
    await plain.return(undefined);
  }
}

async function* renderInSlices(
  registry: Registry | SnapshotSource,
  format: ExpositionFormat,
  turns: TurnQueue,
  collectTimeoutMs: number,
  loan: BufferLoan | undefined,
): AsyncGenerator<Buffer, void, undefined> {
  try {
    yield* renderSlices(registry, format, turns, collectTimeoutMs, loan);
  } finally {
    // However the body ends (sent, failed, or stopped when its readers left), rendering is over.
    loan?.release();
  }
}

async function* renderSlices(
  registry: Registry | SnapshotSource,
  format: ExpositionFormat,
  turns: TurnQueue,
  collectTimeoutMs: number,
  loan: BufferLoan | undefined,
): AsyncGenerator<Buffer, void, undefined> {
  let sliceStart = performance.now();
  const pauseIfDue = async () => {
    if (performance.now() - sliceStart > SLICE_MS) {
      await turns.next();
      sliceStart = performance.now();
    }
  };
  let snapshot: RegistrySnapshot;
  if (isRegistry(registry) === undefined) {
    // Collect functions that return a promise are awaited here, before the synchronous snapshot.
    const reads = await (registry as Registry).readAhead(collectTimeoutMs);
    await turns.next();
    sliceStart = performance.now();
    const steps = (registry as Registry).snapshotSteps(reads);
    let step = steps.next();
    while (!step.done) {
      await pauseIfDue();
      step = steps.next();
    }
    snapshot = step.value;
  } else {
    // Any other source produces its snapshot its own way (an aggregator merges in steps).
    snapshot = await registry.snapshot();
    await turns.next();
    sliceStart = performance.now();
  }
  for (const chunk of FORMATS[format].chunks(snapshot, CHUNK_SIZE, loan?.buffer)) {
    yield chunk;
    await pauseIfDue();
  }
}

async function* concat(head: readonly Buffer[], rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  yield* head;
  yield* rest;
}

/** Compresses a stream of chunks through one gzip stream, with backpressure both ways. */
async function* gzipped(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  const compressor = createGzip(GZIP_OPTIONS);
  // A failure on either side destroys both; the reader below then throws it.
  pipeline(Readable.from(source), compressor, () => {});
  for await (const chunk of compressor) yield chunk as Buffer;
}
