// The exemplar of one HTTP request, read from the service's callback (a trace id, typically
// taken from the request's `traceparent` header). It runs inside the response's 'close'
// listener: whatever the callback does must cost the request its exemplar at most, never its
// measurement.
import type { IncomingMessage } from 'node:http';
import { callUserCallback } from '../callbacks.js';
import type { ExemplarLabels } from '../core/exemplar.js';
import { LABEL_NAME } from '../core/names.js';

/** A service's exemplar source: the labels of a request's exemplar, or `undefined` for none. */
export type RequestExemplar = (request: IncomingMessage) => ExemplarLabels | undefined;

/**
 * Calls `source(request)` and returns a frozen copy of the labels it gave, or `undefined` when
 * it gave none, threw, returned a promise or anything but an object of strings under valid
 * label names. Never throws. The copy is taken once, so that a getter cannot hand the metric a
 * different (or throwing) value later. Label sets over 128 characters are left to the metric,
 * which drops and counts them.
 */
export function readExemplar(source: RequestExemplar, request: IncomingMessage): ExemplarLabels | undefined {
  const outcome = callUserCallback(source, request);
  if (!outcome.ok) return undefined;
  const given: unknown = outcome.value;
  if (typeof given !== 'object' || given === null) return undefined;
  try {
    // Inside the try: even `Array.isArray` and `instanceof` can throw on a revoked Proxy.
    if (Array.isArray(given) || given instanceof Promise) return undefined;
    const copy: Record<string, string> = {};
    for (const [name, value] of Object.entries(given)) {
      if (!LABEL_NAME.test(name) || typeof value !== 'string') return undefined;
      copy[name] = value;
    }
    return Object.keys(copy).length === 0 ? undefined : Object.freeze(copy);
  } catch {
    // A hostile object (a throwing getter or Proxy trap): no exemplar for this request.
    return undefined;
  }
}
