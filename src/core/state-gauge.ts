import { PromliteError } from '../errors.js';
import { Gauge } from './gauge.js';
import type { Labels } from './labels.js';
import type { MetricOptions } from './metric.js';

/** How to declare a state set: its possible states, at least one, each once. */
export interface StateGaugeOptions<S extends string = string, L extends string = string> extends MetricOptions<L> {
  readonly states: readonly S[];
}

/**
 * One of a fixed set of states, such as a circuit breaker's `closed`/`open`/`half_open`:
 * exposed as one series per state, 1 for the current state and 0 for the others (an
 * OpenMetrics `stateset`; a gauge in text 0.0.4). The state is in the label named like the metric.
 */
export class StateGauge<S extends string = string, L extends string = never> {
  readonly name: string;
  readonly states: readonly S[];
  private readonly gauge: Gauge<string>;

  /** @internal Made by `Registry.stateGauge`. */
  constructor(gauge: Gauge<string>, states: readonly S[]) {
    if (!(gauge instanceof Gauge)) {
      throw new PromliteError(
        'INVALID_OPTIONS',
        'new StateGauge(…): a state set belongs to a registry; declare it with registry.stateGauge({ name, help, states })',
      );
    }
    this.gauge = gauge;
    this.name = gauge.name;
    this.states = states;
    // An unlabelled state set is exported from the start, with no state current yet.
    if (gauge.labelNames.length === 1) for (const state of states) gauge.set({ [this.name]: state }, 0);
  }

  /**
   * Makes `state` the current one: `set('open')` or `set({ dependency: 'db' }, 'open')`.
   * @throws PromliteError `INVALID_VALUE` for a state not declared, `INVALID_LABELS` for a wrong label set.
   */
  set(state: S): void;
  set(labels: Labels<L>, state: S): void;
  set(labelsOrState: Labels<L> | S, maybeState?: S): void {
    const labels = typeof labelsOrState === 'string' ? {} : labelsOrState;
    const state = typeof labelsOrState === 'string' ? labelsOrState : maybeState;
    if (!this.states.includes(state as S)) {
      throw new PromliteError(
        'INVALID_VALUE',
        `stateset "${this.name}": unknown state ${JSON.stringify(state)} (states: ${this.states.join(', ')})`,
      );
    }
    for (const each of this.states) this.gauge.set({ ...labels, [this.name]: each }, each === state ? 1 : 0);
  }
}

/** A registry's state sets by full name, so that declaring one again returns the first. Internal. */
export class StateSets {
  private readonly byName = new Map<string, StateGauge<string, string>>();

  /**
   * Declares a state set through `declareGauge` (given the label names, the state label last),
   * or returns the one declared before with the same definition and states.
   * @throws PromliteError as {@link checkStates} does, and whatever `declareGauge` throws.
   */
  declare<S extends string, L extends string>(
    prefix: string,
    options: StateGaugeOptions<S, L>,
    declareGauge: (labelNames: readonly string[]) => Gauge<string>,
  ): StateGauge<S, L> {
    // The name is checked with the rest of the definition by `declareGauge`; the states first.
    const name = typeof options.name === 'string' ? prefix + options.name : String(options.name);
    const existing = this.byName.get(name);
    checkStates(name, options.states, existing);
    // The state is a label named like the metric, after the declared ones.
    const gauge = declareGauge([...(options.labelNames ?? []), name]);
    if (existing !== undefined) return existing as StateGauge<S, L>;
    const stateGauge = new StateGauge<S, L>(gauge, [...options.states]);
    this.byName.set(gauge.name, stateGauge as StateGauge<string, string>);
    return stateGauge;
  }

  /** Forgets the state set of a full name, once its gauge left the registry. */
  forget(name: string): void {
    this.byName.delete(name);
  }
}

/**
 * Checks the states of a state set named `name` (prefix included).
 * @throws PromliteError `INVALID_OPTIONS` unless `states` is a non-empty list of distinct
 *   non-empty strings; `DUPLICATE_METRIC` when `existing` was declared with other states.
 */
function checkStates(name: string, states: unknown, existing: StateGauge<string, string> | undefined): void {
  const problem = problemWithStates(states);
  if (problem !== undefined) throw new PromliteError('INVALID_OPTIONS', `stateset ${JSON.stringify(name)}: ${problem}`);
  if (existing !== undefined && existing.states.join('\u0000') !== (states as string[]).join('\u0000')) {
    throw new PromliteError(
      'DUPLICATE_METRIC',
      `stateset "${name}": already registered with states [${existing.states.join(', ')}]`,
    );
  }
}

/** Returns what is wrong with a list of states, or `undefined` when it is usable. */
function problemWithStates(states: unknown): string | undefined {
  if (!Array.isArray(states) || states.length === 0) return 'states must be a non-empty array of strings';
  const seen = new Set<string>();
  for (const state of states) {
    if (typeof state !== 'string' || state === '') return `state ${JSON.stringify(state)} must be a non-empty string`;
    if (seen.has(state)) return `state "${state}" is listed twice`;
    seen.add(state);
  }
  return undefined;
}
