import { DomainError } from './errors.js';

/**
 * What names and notes may hold (quality bar R10). Stored text is printed into Markdown reports,
 * terminals and dashboards, so it must not be able to forge lines, move the cursor or reorder
 * what a reader sees:
 * - a name (and every other one-line text: phase, objective, labels) holds no control
 *   character at all: no line break, tab, CR, BEL, ESC (ANSI sequences), DEL or C1 control,
 *   nor U+2028/U+2029;
 * - a note may hold line breaks (`\n`; a `\r\n` pair is read as `\n`) and no other control;
 * - neither holds a lone surrogate (JSON's `"\ud800"` parses to one; storing it would silently
 *   turn it into U+FFFD) nor a bidi override or isolate (U+202A–202E, U+2066–2069);
 * - surrounding white space is trimmed first (line breaks included);
 * - a name is not blank once invisible characters (zero-width space and joiners, BOM, word
 *   joiner, soft hyphen, variation selectors: Unicode's default-ignorable code points) are gone.
 */
export type TextShape = 'line' | 'multiline';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const LINE_CONTROL = /[\p{Cc}\u2028\u2029]/u;
const NOTE_CONTROL = /[^\P{Cc}\n]|[\u2028\u2029]/u;
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a text breaks the rule (a Chinese sentence naming the character), or null when it is fine. */
export function textProblem(value: string, shape: TextShape): string | null {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) return `不能包含不成对的代理字符（${hex(lone[0])}）`;
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) return `不能包含双向文本控制字符（${hex(bidi[0])}）`;
  const control = (shape === 'line' ? LINE_CONTROL : NOTE_CONTROL).exec(value);
  if (control) {
    return shape === 'line' && (control[0] === '\n' || control[0] === '\r')
      ? '只能是一行文字，不能包含换行'
      : `不能包含控制字符（${hex(control[0])}）`;
  }
  return null;
}

/**
 * A text that did not come from a user's field but is stored and shown like one (a file name in
 * the change log's actor): every character the line rule refuses becomes U+FFFD, and it is cut
 * to `max` characters.
 */
export function asOneLine(value: string, max: number): string {
  const out: string[] = [];
  for (const ch of value.trim()) {
    if (out.length === max) break;
    out.push(textProblem(ch, 'line') === null ? ch : '\uFFFD');
  }
  return out.join('');
}

/** True when nothing visible is left once invisible characters and white space are removed. */
export function isBlank(value: string): boolean {
  return value.replace(INVISIBLE, '').trim() === '';
}

/** What a field is called in a message: the last step of its path. */
function fieldName(field: readonly string[]): string {
  return field[field.length - 1] ?? 'text';
}

/**
 * A text checked against the rule and trimmed, or INVALID_INPUT on `field`. `required` texts
 * (names) must keep something visible; optional ones come back null when blank.
 */
export function checkText(
  value: string,
  opts: {
    readonly field: readonly string[];
    readonly shape: TextShape;
    readonly max: number;
    readonly label?: string;
  },
): string | null {
  const label = opts.label ?? fieldName(opts.field);
  // Surrounding white space (a pasted cell's trailing line break) is trimmed, as it always was.
  const trimmed = (opts.shape === 'multiline' ? value.replaceAll('\r\n', '\n') : value).trim();
  const problem = textProblem(trimmed, opts.shape);
  const sep = /^[\x20-\x7e]+$/.test(label) ? ' ' : '';
  if (problem) throw new DomainError('INVALID_INPUT', `${label}${sep}${problem}`, opts.field);
  // Characters as a reader counts them (code points): an emoji is one, not two UTF-16 units.
  if (trimmed.length > opts.max && [...trimmed].length > opts.max)
    throw new DomainError('INVALID_INPUT', `${label} 不能超过 ${opts.max} 个字符`, opts.field);
  return isBlank(trimmed) ? null : trimmed;
}
