import { SheetError } from './sheet-error.js';

/**
 * The CSV reader (SheetJS) is lenient with quotes: in a cell that starts with one, every quote
 * opens or closes, so a cell that opens a quote and never closes it, or holds one undoubled
 * quote (`"他说"好"`), runs on to the end of the file, and the rows after it become one cell's
 * text, never imported, without a word. So a CSV is read first as the reader reads it, and
 * refused where it would misread: a quote left open at the end of the file, or text after a
 * cell's closing quote (kept with its quotes). An even number of undoubled quotes inside
 * (`"他说"好"吗"`) reads as meant and passes. A quote inside a cell that does not start with
 * one is text (`12" 管道`).
 */

/**
 * A first line that names the separator (Excel's `sep=;`), which the reader skips: any
 * character, U+2028 and U+2029 too, which `.` would not match.
 */
const SEP_LINE = /^sep=([^])(\r\n|\r|\n)/;

/** The separators the reader accepts, most preferred first when counts tie. */
const SEPARATORS = [',', '\t', ';', '|'];

/**
 * The separator the reader will use: a `sep=X` first line, otherwise the most frequent of
 * `,` tab `;` `|` outside quotes in the first 1,024 characters (ties: that order), as SheetJS
 * guesses it.
 */
export function csvSeparatorOf(text: string): string {
  const declared = SEP_LINE.exec(text);
  if (declared) return declared[1]!;
  const head = text.slice(0, 1024);
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && SEPARATORS.includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const sep of SEPARATORS) {
    const n = counts.get(sep) ?? 0;
    if (n > most) [best, most] = [sep, n];
  }
  return best;
}

/** Excel's name of the column at `index` (0: A, 26: AA). */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * Refuses a CSV whose quotes the reader would misread, naming the row (counted as the reader
 * counts them: a cell's line breaks do not start a row) and the column where the cell began.
 */
export function assertCsvQuotes(text: string): void {
  const sep = csvSeparatorOf(text);
  let i = SEP_LINE.exec(text)?.[0].length ?? 0;
  let row = 1;
  let column = 0;
  const where = (r: number, c: number) => `第 ${r} 行第 ${columnName(c)} 列`;
  while (i < text.length) {
    if (text[i] === '"') {
      // As the reader reads it: every quote in the cell opens or closes, and the cell ends at
      // a separator or line break outside quotes; its outer quotes are then taken off.
      const [openRow, openColumn] = [row, column];
      let quoted = true;
      i++;
      while (
        i < text.length &&
        (quoted || (text[i] !== sep && text[i] !== '\n' && text[i] !== '\r'))
      ) {
        if (text[i] === '"') quoted = !quoted;
        i++; // a line break inside quotes is the cell's text: the row goes on
      }
      if (quoted)
        throw new SheetError(
          'NOT_A_SPREADSHEET',
          `${where(openRow, openColumn)}的引号没有结束：这个格子从引号开始，到文件末尾都没有对应的结束引号（格子里的引号要写成两个 ""）`,
        );
      if (text[i - 1] !== '"')
        throw new SheetError(
          'NOT_A_SPREADSHEET',
          `${where(openRow, openColumn)}的引号用错了：结束引号后还有文字（格子里的引号要写成两个 ""）`,
        );
    } else {
      while (i < text.length && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') i++;
    }
    if (i >= text.length) break;
    const end = text[i]!;
    if (end === sep) column++;
    else {
      i += end === '\r' && text[i + 1] === '\n' ? 1 : 0;
      row++;
      column = 0;
    }
    i++;
  }
}
