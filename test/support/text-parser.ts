// A small, strict parser of the text format 0.0.4, for tests only: it lets property tests check
// that what render() writes reads back to the same values. Real consumers are checked separately.

export interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ParsedText {
  readonly help: Map<string, string>;
  readonly types: Map<string, string>;
  readonly samples: ParsedSample[];
}

/** Parses text 0.0.4; throws on anything it does not understand. */
export function parseText(text: string): ParsedText {
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  const samples: ParsedSample[] = [];
  if (text !== '' && !text.endsWith('\n')) throw new Error('text must end with a newline');
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  for (const line of lines) {
    if (line.startsWith('# HELP ')) {
      const rest = line.slice('# HELP '.length);
      const space = rest.indexOf(' ');
      help.set(rest.slice(0, space), unescapeHelp(rest.slice(space + 1)));
    } else if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ');
      types.set(name as string, type as string);
    } else {
      samples.push(parseSample(line));
    }
  }
  return { help, types, samples };
}

function parseSample(line: string): ParsedSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`bad sample line: ${line}`);
  const name = nameMatch[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
      if (!labelMatch) throw new Error(`bad label at ${i}: ${line}`);
      i += labelMatch[0].length;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`unterminated label value: ${line}`);
        if (c === '"') break;
        if (c === '\\') {
          const next = line[i + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else throw new Error(`bad escape \\${next}: ${line}`);
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++;
      labels[labelMatch[1] as string] = value;
      if (line[i] === ',') i++;
    }
    i++;
  }
  if (line[i] !== ' ') throw new Error(`expected a space before the value: ${line}`);
  return { name, labels, value: parseValue(line.slice(i + 1)) };
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (Number.isNaN(value) || text.trim() !== text || text === '') throw new Error(`bad value: ${text}`);
  return value;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === '\\' ? '\\' : `\\${c}`));
}
