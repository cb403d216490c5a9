import type { Buffer } from 'node:buffer';
import type { RegistrySnapshot } from '../core/snapshot.js';
import type { RenderBuffer } from './render-buffer.js';
import { OPENMETRICS_CONTENT_TYPE, renderOpenMetricsChunks } from './openmetrics.js';
import { PROTOBUF_CONTENT_TYPE, renderProtobufChunks } from './protobuf.js';
import { renderChunks, TEXT_CONTENT_TYPE } from './text.js';

/** The exposition formats promlite writes, by the name content negotiation picks. */
export type ExpositionFormat = 'text' | 'openmetrics' | 'protobuf';

/** What serving needs of a format: the Content-Type to announce and the writer in pieces. */
export interface FormatWriter {
  readonly contentType: string;
  /**
   * The snapshot in pieces of about `chunkSize` bytes, cut between series. Pure. The text formats
   * write into `buffer` when given (see `RenderBuffer`); protobuf ignores it.
   */
  readonly chunks: (
    snapshot: RegistrySnapshot,
    chunkSize: number,
    buffer?: RenderBuffer,
  ) => Generator<Buffer, void, undefined>;
}

/** Every format, so that a new one is one entry here and one case in negotiation. */
export const FORMATS: Readonly<Record<ExpositionFormat, FormatWriter>> = Object.freeze({
  text: { contentType: TEXT_CONTENT_TYPE, chunks: renderChunks },
  openmetrics: { contentType: OPENMETRICS_CONTENT_TYPE, chunks: renderOpenMetricsChunks },
  protobuf: { contentType: PROTOBUF_CONTENT_TYPE, chunks: renderProtobufChunks },
});
