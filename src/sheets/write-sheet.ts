import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { csvSafeText } from './csv-formulas.js';

export type SheetFormat = 'xlsx' | 'csv';
export type CsvEncoding = 'utf-8' | 'gb18030';

/** A table to write: a header row, then data rows. */
export interface Table {
  readonly name: string;
  readonly rows: readonly (readonly (string | number)[])[];
}

/**
 * Writes tables as an .xlsx workbook (one sheet each) or the first table as CSV: UTF-8 with a
 * BOM (Excel opens it as UTF-8), or GB18030 for older Excel on Chinese Windows. Text cells are
 * written as text, so a name such as `=1+1` or `2023-05` stays what it is (in CSV, a text that
 * a spreadsheet would run as a formula starts with `'`: csv-formulas.ts).
 */
export function writeSheet(
  tables: readonly Table[],
  format: SheetFormat,
  encoding: CsvEncoding = 'utf-8',
): Buffer {
  if (format === 'csv') {
    const ws = XLSX.utils.aoa_to_sheet(
      tables[0]!.rows.map((r) => r.map((v) => (typeof v === 'string' ? csvSafeText(v) : v))),
    );
    // CRLF between rows, every field quoted: a note's own line breaks stay inside its quotes
    // (quoting only fields that held the row separator left a lone LF unquoted, and the file
    // split the row there).
    const crlf = XLSX.utils.sheet_to_csv(ws, { blankrows: false, RS: '\r\n', forceQuotes: true });
    return encoding === 'gb18030'
      ? iconv.encode(`${crlf}\r\n`, 'gb18030')
      : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${crlf}\r\n`, 'utf8')]);
  }
  const wb = XLSX.utils.book_new();
  for (const table of tables) {
    const ws = XLSX.utils.aoa_to_sheet(
      table.rows.map((r) => r.map((v) => (typeof v === 'string' ? xlsxText(v) : v))),
    );
    XLSX.utils.book_append_sheet(wb, ws, table.name);
  }
  // Text in the shared-strings table, as Excel writes it: SheetJS's inline text cells read
  // back with their XML entities undone twice, so a name holding `&amp;` came back as `&`.
  return XLSX.write(wb, {
    type: 'buffer',
    bookType: 'xlsx',
    compression: true,
    bookSST: true,
  }) as Buffer;
}

/**
 * Text as an .xlsx must hold it: `_xHHHH_` there is an escaped character (`_x000D_` a CR), so
 * a literal one (a table named `rpt_x2023_明细`) has its underscore escaped as `_x005F_`, as
 * Excel writes it; read back, it is the name again. The reader takes `_XHHHH_` as an escape
 * too, so that is escaped alike.
 */
const xlsxText = (text: string): string => text.replace(/_(?=[xX][0-9A-Fa-f]{4}_)/g, '_x005F_');
