import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue } from '../../src/exposition/escape.js';

describe('escapeLabelValue', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['C:\\temp', 'C:\\\\temp'],
    ['say "hi"', 'say \\"hi\\"'],
    ['two\nlines', 'two\\nlines'],
    ['\\n', '\\\\n'], // a literal backslash-n stays two characters, not a newline
    ['\\"\n', '\\\\\\"\\n'],
    ['tab\tand\rcr', 'tab\tand\rcr'],
    ['ünïcödé ✓ 🚀', 'ünïcödé ✓ 🚀'],
  ])('%j → %j', (input, expected) => {
    expect(escapeLabelValue(input)).toBe(expected);
  });
});

describe('escapeHelp', () => {
  it.each([
    ['Plain help.', 'Plain help.'],
    ['C:\\temp', 'C:\\\\temp'],
    ['a\nb', 'a\\nb'],
    ['keeps "quotes"', 'keeps "quotes"'],
    ['\\n', '\\\\n'],
  ])('%j → %j', (input, expected) => {
    expect(escapeHelp(input)).toBe(expected);
  });
});
