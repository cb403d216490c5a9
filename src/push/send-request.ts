import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What a server answered: the status, and the start of the body (at most `MAX_ANSWER_BYTES`). */
export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
}

/** How much of an answer's body is kept: enough for any gateway message, never a whole page. */
const MAX_ANSWER_BYTES = 16 * 1024;

/** One request to send. */
export interface Outgoing {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Aborts the request, whatever stage it is in; the promise then rejects with the signal's reason. */
  readonly signal: AbortSignal;
}

/**
 * Sends one HTTP(S) request and reads the answer. Rejects with the network error (refused,
 * reset, DNS) or with the signal's reason when aborted; never leaves an error unlistened.
 * Each request has its own connection (no agent), so a short-lived process exits as soon as
 * it is done instead of waiting on an idle keep-alive socket.
 */
export function sendRequest(outgoing: Outgoing): Promise<Answer> {
  const { url, method, headers, body, signal } = outgoing;
  return new Promise<Answer>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(body.length) },
      agent: false,
    });
    const abort = () =>
      request.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener('abort', abort, { once: true });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', abort);
      outcome();
    };
    // Once aborted, whatever the socket reports (reset, hang up) is the abort's doing: say why.
    const fail = (error: unknown) => settle(() => reject(signal.aborted ? signal.reason : error));
    // `on`, not `once`: a socket can report more than one error, and none may go unlistened.
    request.on('error', fail);
    request.once('response', (response) => readAnswer(response).then((answer) => settle(() => resolve(answer)), fail));
    request.end(body);
  });
}

/** Reads up to `MAX_ANSWER_BYTES` of a response, then lets the rest go (the socket is closed). */
function readAnswer(response: IncomingMessage): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const done = () =>
      resolve({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
    response.on('data', (chunk: Buffer) => {
      if (kept >= MAX_ANSWER_BYTES) return;
      const part = chunk.subarray(0, MAX_ANSWER_BYTES - kept);
      chunks.push(part);
      kept += part.length;
      // Enough read: the answer is known, the rest of a huge body need not be waited for.
      if (kept >= MAX_ANSWER_BYTES) {
        response.destroy();
        done();
      }
    });
    response.once('end', done);
    response.on('error', reject);
  });
}
