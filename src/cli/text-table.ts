import { terminalSafe } from './terminal-text.js';

// Characters a terminal draws two columns wide (East Asian Wide and Fullwidth, emoji) and ones
// it draws in none (combining marks, zero-width space and joiners, the byte-order mark).
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200d\ufeff]/u;

/** Columns `text` takes in a terminal (Chinese names are two per character). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : ZERO.test(ch) ? 0 : 1;
  return width;
}

/**
 * A plain aligned table, as `git branch -v` or `npm ls` print: a header row, columns two
 * spaces apart, no quotes, no index column. Cells are made terminal-safe and kept on one line.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]) {
  const clean = [headers, ...rows].map((row) =>
    row.map((cell) => terminalSafe(cell).replace(/[\n\t]/g, ' ')),
  );
  const widths = headers.map((_, c) => Math.max(...clean.map((row) => displayWidth(row[c] ?? ''))));
  return clean
    .map((row) =>
      row
        .map((cell, c) =>
          c === row.length - 1 ? cell : cell + ' '.repeat(widths[c]! - displayWidth(cell)),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
