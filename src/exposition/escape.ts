const LABEL_VALUE_SPECIALS = /[\\"\n]/;
const HELP_SPECIALS = /[\\\n]/;

/**
 * Escapes `\`, `"` and newline, as a label value inside `"…"` requires (text 0.0.4 and
 * OpenMetrics alike). Backslash goes first, or the other escapes would double up. Pure.
 */
export function escapeLabelValue(value: string): string {
  // Most values need nothing; testing first avoids three scans and allocations.
  if (!LABEL_VALUE_SPECIALS.test(value)) return value;
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/**
 * Escapes `\` and newline for a text-0.0.4 HELP line. A `"` stays as it is: Prometheus'
 * text parser would keep `\"` literally. Pure.
 */
export function escapeHelp(text: string): string {
  if (!HELP_SPECIALS.test(text)) return text;
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}
