// The independent decoder of promlite's protobuf exposition: protobufjs reading the published
// schema (test/support/metrics.proto), never promlite's own code.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = protobuf.loadSync(fileURLToPath(new URL('./metrics.proto', import.meta.url)));
const MetricFamily = root.lookupType('io.prometheus.client.MetricFamily');

/** A decoded family as plain data: enums by name, 64-bit integers as numbers, unset fields absent. */
export type DecodedFamily = Record<string, unknown> & {
  name: string;
  type: string;
  metric: Record<string, unknown>[];
};

/** Decodes a stream of varint-delimited MetricFamily messages; throws on trailing garbage. */
export function decodeFamilies(bytes: Uint8Array): DecodedFamily[] {
  const reader = protobuf.Reader.create(bytes);
  const families: DecodedFamily[] = [];
  while (reader.pos < reader.len) {
    const message = MetricFamily.decodeDelimited(reader);
    families.push(MetricFamily.toObject(message, { longs: Number, enums: String, arrays: false }) as DecodedFamily);
  }
  return families;
}

/**
 * The decoded families as reviewable text: one field per line, nested messages indented, doubles
 * spelled by JavaScript (NaN, Infinity, -0 kept apart).
 */
export function decodedText(families: readonly DecodedFamily[]): string {
  const lines: string[] = [];
  const write = (value: unknown, indent: string, key: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) write(item, indent, key);
    } else if (typeof value === 'object' && value !== null) {
      lines.push(`${indent}${key} {`);
      for (const [k, v] of Object.entries(value)) write(v, `${indent}  `, k);
      lines.push(`${indent}}`);
    } else {
      const spelled =
        typeof value === 'number' && Object.is(value, -0)
          ? '-0'
          : typeof value === 'string'
            ? JSON.stringify(value)
            : String(value);
      lines.push(`${indent}${key}: ${spelled}`);
    }
  };
  for (const family of families) write(family, '', 'family');
  return `${lines.join('\n')}\n`;
}
