import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../../src/cli/terminal-text.js';

/** Every character a terminal may act on, except line feed and tab. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('terminalSafe', () => {
  it.each([
    ['colour (CSI SGR)', 'a\x1b[31;1mred\x1b[0mb', 'aredb'],
    ['clear screen and home', '\x1b[2J\x1b[Hx', 'x'],
    ['private-mode CSI', '\x1b[?1049hx\x1b[?25l', 'x'],
    ['window title (OSC, BEL)', '\x1b]0;pwned\x07名称', '名称'],
    ['hyperlink (OSC 8, ST)', '\x1b]8;;http://evil.example\x1b\\点我\x1b]8;;\x1b\\', '点我'],
    ['unterminated OSC swallows the rest', 'ok\x1b]2;rest of the text', 'ok'],
    ['DCS string', 'a\x1bPq#0;2;0;0;0\x1b\\b', 'ab'],
    ['8-bit CSI', 'a\x9b31mb', 'ab'],
    ['8-bit OSC ended by 8-bit ST', 'a\x9d0;t\x9cb', 'ab'],
    ['charset selection (nF)', 'a\x1b(0b', 'ab'],
    ['reset (ESC c) and a lone ESC', '\x1bcx\x1b', 'x'],
    ['carriage return overwriting a line', '完成 100%\r未启动', '完成 100%未启动'],
    ['bell, backspace, NUL, DEL', 'a\x07\x08\x00\x7fb', 'ab'],
    ['right-to-left override and isolates', 'abc\u202Etxt.exe\u2066x\u2069', 'abctxt.exex'],
    ['C1 next line', 'a\x85b', 'ab'],
    ['lone surrogates', 'a\ud800b\udc00', 'a\ufffdb\ufffd'],
  ])('removes %s', (_what, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  it('keeps line feeds, tabs, Chinese, emoji and zero-width joiners', () => {
    const text = 'Hive数仓建设总进度：87.23%\n\t1.【风控报表】👩‍💻 ✅';
    expect(terminalSafe(text)).toBe(text);
  });

  it('leaves no character a terminal acts on, and a second pass changes nothing', () => {
    const pieces = fc.constantFrom(
      '\x1b',
      '[',
      ']',
      '\\',
      '\x07',
      '\x9b',
      '\x9c',
      '\r',
      '\n',
      '31m',
      '0;',
      '\u202e',
      '\ud83d',
      '\ude00',
      '进度',
      'a',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pieces, fc.string({ unit: 'binary' })), { maxLength: 30 }),
        (parts) => {
          const safe = terminalSafe(parts.join(''));
          expect(safe).not.toMatch(UNSAFE);
          expect(safe).not.toMatch(LONE_SURROGATE);
          expect(terminalSafe(safe)).toBe(safe);
        },
      ),
      { numRuns: 300 },
    );
  });
});
