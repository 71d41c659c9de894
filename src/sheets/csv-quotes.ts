import { SheetError } from './sheet-error.js';

/**
 * The CSV reader (SheetJS) is lenient with quotes: a cell that opens a quote and never closes
 * it runs on to the end of the file, and a quote inside a quoted cell that is not doubled
 * (`"他说"好"`) opens the cell again. Either way the rows after it become one cell's text and
 * are never imported, without a word. So a CSV is checked first, the way RFC 4180 reads it:
 * a cell that starts with `"` ends at a `"` followed by the separator, a line break or the end
 * of the file, and a quote inside it is written `""`. A quote inside a cell that does not start
 * with one is text, as the reader takes it (`12" 管道`).
 */

/** The separators the reader accepts, most preferred first when counts tie. */
const SEPARATORS = [',', '\t', ';', '|'];

/**
 * The separator the reader will use: a `sep=X` first line, otherwise the most frequent of
 * `,` tab `;` `|` outside quotes in the first 1,024 characters (ties: that order), as SheetJS
 * guesses it.
 */
export function csvSeparatorOf(text: string): string {
  const declared = /^sep=(.)(\r\n|\r|\n)/.exec(text);
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
  let i = /^sep=.(\r\n|\r|\n)/.exec(text)?.[0].length ?? 0;
  let row = 1;
  let column = 0;
  const where = (r: number, c: number) => `第 ${r} 行第 ${columnName(c)} 列`;
  while (i < text.length) {
    if (text[i] === '"') {
      const [openRow, openColumn] = [row, column];
      i++;
      for (;;) {
        if (i >= text.length)
          throw new SheetError(
            'NOT_A_SPREADSHEET',
            `${where(openRow, openColumn)}的引号没有结束：这个格子从引号开始，到文件末尾都没有对应的结束引号（格子里的引号要写成两个 ""）`,
          );
        const ch = text[i]!;
        if (ch === '"') {
          const next = text[i + 1];
          if (next === '"') i += 2;
          else if (next === undefined || next === sep || next === '\n' || next === '\r') {
            i++;
            break;
          } else
            throw new SheetError(
              'NOT_A_SPREADSHEET',
              `${where(openRow, openColumn)}的引号用错了：引号里的格子又出现单个引号（要写成两个 ""），或结束引号后还有文字`,
            );
        } else i++; // a line break inside quotes is the cell's text: the row goes on
      }
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
