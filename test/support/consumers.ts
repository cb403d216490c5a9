// The real consumers of our output, run as child processes: promtool and the Python client's parsers.
import { spawnSync } from 'node:child_process';
import type { ParsedSample } from './text-parser.js';

/** Debian's python3, which has python3-prometheus-client (a pyenv python3 on PATH may not). */
export const PYTHON = process.env.PROMLITE_PYTHON ?? '/usr/bin/python3';

export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs `promtool check metrics` on text 0.0.4. Exit 0 = clean, 1 = unparseable, 3 = lint problems. */
export function promtoolCheckMetrics(text: string): PromtoolResult {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const PYTHON_PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om_families
text = sys.stdin.buffer.read().decode('utf-8')
parse = om_families if sys.argv[1] == 'openmetrics' else text_string_to_metric_families
out = []
for family in parse(text):
    for s in family.samples:
        out.append({'name': s.name, 'labels': s.labels, 'value': repr(float(s.value)), 'type': family.type})
print(json.dumps(out))
`;

/** Parses text with prometheus_client (text 0.0.4 or OpenMetrics); throws with Python's error if it fails. */
export function pythonParse(text: string, format: 'text' | 'openmetrics' = 'text'): ParsedSample[] {
  const result = spawnSync(PYTHON, ['-c', PYTHON_PARSE, format], { input: text, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python parser failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { name: string; labels: Record<string, string>; value: string }[];
  return parsed.map(({ name, labels, value }) => ({ name, labels, value: pythonFloat(value) }));
}

function pythonFloat(repr: string): number {
  if (repr === 'inf') return Infinity;
  if (repr === '-inf') return -Infinity;
  if (repr === 'nan') return NaN;
  return Number(repr);
}
