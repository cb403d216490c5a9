import type { RegistrySnapshot } from '../core/snapshot.js';
import { PromliteError } from '../errors.js';
import { render, TEXT_CONTENT_TYPE } from '../exposition/text.js';
import { describeValue } from '../options.js';
import { assertSeriesAgree } from './grouping-key.js';
import { planPush, type PushOptions, type PushResult } from './push-options.js';
import { type Answer, sendRequest } from './send-request.js';

export type { PushMethod, PushOptions, PushResult } from './push-options.js';

const OWNER = 'pushMetrics';
/** How much of the gateway's answer a message quotes. */
const MAX_QUOTED = 500;

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
  const { method, target, labels, headers, timeoutMs } = planPush(options);
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
      throw new PromliteError('PUSH_FAILED', `${OWNER}: ${method} ${shown} failed: ${oneLine(error)}`, {
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
  let pending: Promise<unknown>;
  try {
    // Half the budget for slow collects: one that hangs is left out (and counted, as in a
    // scrape), and the rest still has time to reach the gateway.
    pending = Promise.resolve(registry.snapshotAsync({ timeoutMs: Math.max(1, Math.floor(timeoutMs / 2)) }));
  } catch (error) {
    throw snapshotFailed(oneLine(error), error);
  }
  // A registry from elsewhere may not honour its own timeout: the deadline ends the wait anyway.
  return new Promise<RegistrySnapshot>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    pending.then(
      (snapshot) => {
        signal.removeEventListener('abort', abort);
        const families = (snapshot as { families?: unknown } | null)?.families;
        if (Array.isArray(families)) resolve(snapshot as RegistrySnapshot);
        else reject(snapshotFailed(`it gave ${describeValue(snapshot)}, not a RegistrySnapshot`));
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(snapshotFailed(oneLine(error), error));
      },
    );
  });
}

function snapshotFailed(problem: string, cause?: unknown): PromliteError {
  const message = `${OWNER}: the registry's snapshot failed: ${problem}`;
  return new PromliteError('PUSH_FAILED', message, cause === undefined ? undefined : { cause });
}

/** The gateway's refusal as an error that quotes it. */
function refused(method: string, shown: string, answer: Answer): PromliteError {
  // One line, as every promlite message: the gateway lists several problems one per line.
  const text = answer.body.trim().replace(/\s*\n\s*/g, ' ');
  const quoted = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}… (${text.length} characters)` : text;
  return new PromliteError(
    'PUSH_FAILED',
    `${OWNER}: the Pushgateway answered ${method} ${shown} with ${answer.status} ${answer.statusText}${quoted === '' ? '' : `: ${quoted}`}`,
  );
}

/** An error in one line: its code (ECONNREFUSED) and message. Never throws. */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return describeValue(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}
