/**
 * Text that is safe to print to a terminal. Names, report lines and server messages come from
 * data that anyone with a write token (or a server we do not control, given --url) can shape; a
 * raw ESC, CR or U+202E in them can recolour, overwrite or reorder what the operator sees, set
 * the window title, or plant a hyperlink. Everything the CLI prints from data goes through here.
 */

// Escape sequences, each removed whole (ECMA-48): CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`,
// the string commands DCS/SOS/PM/APC `ESC P|X|^|_ … ST`, their 8-bit C1 forms, and the short
// `ESC intermediates final` forms. An unterminated string command runs to the end of the text,
// as a terminal would swallow it.
const SEQUENCES = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]',
    '\\x9b[0-?]*[ -/]*[@-~]',
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[\\s\\S]*?(?:\\x07|\\x1b\\\\|\\x9c|$)',
    '\\x1b[ -/]*[0-~]',
  ].join('|'),
  'g',
);

// What is left to drop one character at a time: C0 controls but tab and line feed (CR, BS and
// BEL included), DEL and C1, and the bidirectional embeddings, overrides, isolates and marks
// (the "Trojan Source" characters).
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` without terminal control sequences; line feeds and tabs are kept. Pure, idempotent. */
export function terminalSafe(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, '').replace(LONE_SURROGATE, '\ufffd');
}
