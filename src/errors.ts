/** What went wrong, machine-readable; the message says it for people. */
export type PromliteErrorCode =
  | 'INVALID_NAME'
  | 'INVALID_LABELS'
  | 'INVALID_VALUE'
  | 'INVALID_BUCKETS'
  | 'INVALID_OPTIONS'
  | 'INVALID_CONFIG'
  | 'DUPLICATE_METRIC'
  /** A collect function or collector whose promise did not settle in time (see `Registry.snapshotAsync`). */
  | 'COLLECT_TIMEOUT'
  /** A push to a Pushgateway that failed: a non-2xx answer, a network error or a timeout (see `pushMetrics`). */
  | 'PUSH_FAILED';

/**
 * The one error class promlite throws. `code` tells callers what kind of mistake it was; the
 * message names the metric and the label involved.
 */
export class PromliteError extends Error {
  readonly code: PromliteErrorCode;

  /** `options.cause`: the error underneath, when there is one (a network error). */
  constructor(code: PromliteErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'PromliteError';
    this.code = code;
  }
}
