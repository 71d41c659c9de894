import { describe, expect, it } from 'vitest';
import { asOneLine, isBlank, textProblem } from '../../../src/domain/text-rules.js';
import { assertName, cleanNote, cleanText } from '../../../src/domain/tree-rules.js';
import { thrownBy } from './domain-error.helper.js';

/** Quality bar R10: names and notes that cannot forge report lines or terminal output. */
describe('names: one line of visible text', () => {
  it.each([
    ['a line break (report forgery)', 'X\n## 伪造标题\n1.【伪造】，进度：完成。'],
    ['CR', 'a\rb'],
    ['CRLF', 'a\r\nb'],
    ['a tab', 'a\tb'],
    ['BEL', 'a\u0007b'],
    ['ESC (an ANSI colour)', '\u001b[31mred\u001b[0m'],
    ['DEL', 'a\u007fb'],
    ['a C1 control (CSI)', 'a\u009bb'],
    ['NEL', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['a paragraph separator', 'a\u2029b'],
    ['U+202E (right-to-left override)', 'abc\u202Etxt.exe'],
    ['U+202A', '\u202Aabc'],
    ['U+2066 (isolate)', 'a\u2066b'],
    ['U+2069 (pop isolate)', 'a\u2069b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a lone surrogate at the end', 'ab\ud83d'],
    ['only zero-width spaces', '\u200b\u200b'],
    ['only joiners and a BOM', '\u200c\u200d\ufeff\u2060'],
    ['only U+202E', '\u202E'],
    ['only a soft hyphen and spaces', ' \u00ad\u3000'],
    ['only variation selectors', '\ufe0f\ufe0e'],
  ])('refuses %s', (_what, name) => {
    expect(thrownBy(() => assertName(name, ['items', '3', 'name']))).toEqual({
      code: 'INVALID_INPUT',
      field: ['items', '3', 'name'],
    });
  });

  it.each([
    ['Chinese', '账户2.0升级', '账户2.0升级'],
    ['an emoji (a valid surrogate pair)', '迁移 🚀', '迁移 🚀'],
    ['a ZWJ emoji sequence', '👩‍💻 团队', '👩‍💻 团队'],
    ['Arabic with its own direction', 'مرحبا', 'مرحبا'],
    [
      'Markdown characters (escaped when printed)',
      '*x* [a](b) `c` | <b> #',
      '*x* [a](b) `c` | <b> #',
    ],
    ['surrounding spaces (trimmed)', '  Hive数仓建设  ', 'Hive数仓建设'],
  ])('accepts %s', (_what, name, stored) => {
    expect(assertName(name)).toBe(stored);
  });

  it('counts 200 characters at most', () => {
    expect(assertName('名'.repeat(200))).toHaveLength(200);
    expect(thrownBy(() => assertName('名'.repeat(201))).code).toBe('INVALID_INPUT');
  });
});

describe('notes: line breaks allowed, nothing else', () => {
  it('keeps \\n and reads \\r\\n as \\n', () => {
    expect(cleanNote('第一行\n第二行')).toBe('第一行\n第二行');
    expect(cleanNote('第一行\r\n第二行')).toBe('第一行\n第二行');
  });

  it.each([
    ['a lone CR', 'a\rb'],
    ['BEL', 'a\u0007'],
    ['ESC', '\u001b[2J'],
    ['a tab', 'a\tb'],
    ['U+202E', 'a\u202Eb'],
    ['a lone surrogate', 'a\ud800b'],
    ['a line separator', 'a\u2028b'],
  ])('refuses %s on the field it is given', (_what, note) => {
    expect(thrownBy(() => cleanNote(note, ['updates', '1', 'note']))).toEqual({
      code: 'INVALID_INPUT',
      field: ['updates', '1', 'note'],
    });
  });

  it('turns an empty or invisible note into null', () => {
    expect(cleanNote('  ')).toBeNull();
    expect(cleanNote('\u200b')).toBeNull();
    expect(cleanNote(null)).toBeNull();
  });
});

describe('other one-line texts (phase, objective)', () => {
  it('refuse line breaks and controls, on the named field', () => {
    expect(thrownBy(() => cleanText('a\nb', 'phase', 200))).toEqual({
      code: 'INVALID_INPUT',
      field: ['phase'],
    });
    expect(thrownBy(() => cleanText('\u001b[1m', ['objective']))).toEqual({
      code: 'INVALID_INPUT',
      field: ['objective'],
    });
  });
});

describe('textProblem and isBlank', () => {
  it('names the offending character', () => {
    expect(textProblem('a\u0007', 'line')).toContain('U+0007');
    expect(textProblem('a\ud800', 'multiline')).toContain('U+D800');
    expect(textProblem('a\u202e', 'line')).toContain('U+202E');
    expect(textProblem('a\nb', 'multiline')).toBeNull();
    expect(textProblem('a\nb', 'line')).not.toBeNull();
  });

  it('sees invisible-only text as blank', () => {
    expect(isBlank('\u200b\u200d\ufeff')).toBe(true);
    expect(isBlank('\u200bx')).toBe(false);
  });
});

describe('lengths count characters, not UTF-16 units', () => {
  it('takes 120 emoji as a name of 120 characters, and refuses 201', () => {
    expect(assertName('😀'.repeat(120))).toBe('😀'.repeat(120));
    expect(thrownBy(() => assertName('😀'.repeat(201)))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(cleanNote('𠀀'.repeat(2000))).toHaveLength(4000);
  });

  it('turns what a line may not hold into U+FFFD for text that is not a user field', () => {
    expect(asOneLine(' a\nb\u202ec\u001b😀 ', 10)).toBe('a\uFFFDb\uFFFDc\uFFFD😀');
    expect(asOneLine('😀'.repeat(5), 3)).toBe('😀😀😀');
  });
});
