/**
 * Formats a sample value: the shortest string that parses back to the same float, with
 * `NaN`, `+Inf` and `-Inf` spelled as the exposition format wants. Pure.
 */
export function formatValue(value: number): string {
  // String(-0) drops the sign; "-0" keeps the round trip exact, as Go writes it.
  if (Number.isFinite(value)) return value === 0 && 1 / value < 0 ? '-0' : String(value);
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return 'NaN';
}

/**
 * Formats a bucket upper bound (`le`) as Go's `strconv.FormatFloat(v, 'g', -1, 64)` does, so the
 * same bucket gets the same label from every client: `1`, `0.005`, `1e+06`, `1e-05`. Pure.
 */
export function formatBound(bound: number): string {
  if (!Number.isFinite(bound)) return formatValue(bound);
  // toExponential() with no argument gives the shortest round-trip digits, like Go's -1.
  const exponential = bound.toExponential();
  const e = exponential.indexOf('e');
  const exponent = Number(exponential.slice(e + 1));
  // Go's %g with shortest precision switches to exponent form below 1e-4 and from 1e+06 on.
  if (exponent >= -4 && exponent < 6) return formatValue(bound);
  const digits = Math.abs(exponent) < 10 ? `0${Math.abs(exponent)}` : String(Math.abs(exponent));
  return `${exponential.slice(0, e)}e${exponent < 0 ? '-' : '+'}${digits}`;
}

/**
 * Formats a bucket upper bound as OpenMetrics wants it canonical: Go's form with `.0` appended
 * when it has neither a `.` nor an exponent (`1.0`, `100000.0`, `1e+06`, `+Inf`). Pure.
 */
export function formatOpenMetricsBound(bound: number): string {
  const text = formatBound(bound);
  return Number.isFinite(bound) && !/[.e]/.test(text) ? `${text}.0` : text;
}
