/**
 * Stored text printed into Markdown (the weekly report). New names cannot hold line breaks or
 * controls (text-rules.ts), but a database written before that rule can, so this escapes
 * whatever it is given:
 * - line breaks, tabs and U+2028/2029 become a space (a name cannot start a new line, heading
 *   or list item); other controls, bidi overrides/isolates and lone surrogates become U+FFFD;
 * - the characters that start inline syntax are backslash-escaped everywhere (emphasis,
 *   code, links and images, raw HTML and autolinks, entities, tables, strikethrough);
 * - characters that only mean something at the start of a line (`#`, `>`, `-`, `+`, `=`, `1.`)
 *   are escaped when the text starts with them, since a name may open a line of the report.
 * Plain text (Chinese, digits, `【】`, `.` and `-` inside a word) comes out unchanged, so the
 * week-20 lines print exactly as the team writes them.
 */
const BREAKS = /[\r\n\t\u2028\u2029\u0085]/g;
// With the u flag a surrogate range matches only lone surrogates (pairs are one code point).
const UNSAFE = /[\p{Cc}\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/gu;
const INLINE = /[\\`*_[\]<>&|~]/g;
const LINE_START = /^(\s*)([#>+=-]|\d+(?=[.)]))/;

export function escapeMarkdown(text: string): string {
  const flat = text.replace(BREAKS, ' ').replace(UNSAFE, '\uFFFD');
  const inline = flat.replace(INLINE, (ch) => `\\${ch}`);
  return inline.replace(LINE_START, (_m, space: string, mark: string) =>
    /^\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
  );
}
