// What histograms and summaries do alike with one observation: check it, or count it as dropped.
import { PromliteError } from '../errors.js';
import { describeNumberInput } from '../options.js';
import { childTimer, type StopTimer } from './timer.js';

/** What can be observed: any number but NaN, which would poison `_sum` for good (±Inf are valid). */
export const isObservation = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

/** @throws PromliteError `INVALID_VALUE` naming the metric and the value that is not an {@link isObservation}. */
export function refuseObservation(type: 'histogram' | 'summary', metric: string, value: unknown): never {
  throw new PromliteError(
    'INVALID_VALUE',
    `${type} "${metric}": observation must be a number other than NaN, got ${describeNumberInput(value)}`,
  );
}

/** The child of a label set refused by a limit: it checks each value, records nothing, calls `onDrop`. */
export function droppedObserver(
  type: 'histogram' | 'summary',
  metric: string,
  onDrop: () => void,
): { observe(value: number): void; startTimer(): StopTimer } {
  const observe = (value: number): void => {
    if (!isObservation(value)) refuseObservation(type, metric, value);
    onDrop();
  };
  return { observe, startTimer: () => childTimer(type, metric, observe) };
}
