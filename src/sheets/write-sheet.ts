import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';

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
 * written as text, so a name such as `=1+1` or `2023-05` stays what it is.
 */
export function writeSheet(
  tables: readonly Table[],
  format: SheetFormat,
  encoding: CsvEncoding = 'utf-8',
): Buffer {
  if (format === 'csv') {
    const ws = XLSX.utils.aoa_to_sheet(tables[0]!.rows.map((r) => [...r]));
    // CRLF between rows only: a note's own line breaks stay as they are, inside quotes.
    const crlf = XLSX.utils.sheet_to_csv(ws, { blankrows: false, RS: '\r\n' });
    return encoding === 'gb18030'
      ? iconv.encode(`${crlf}\r\n`, 'gb18030')
      : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${crlf}\r\n`, 'utf8')]);
  }
  const wb = XLSX.utils.book_new();
  for (const table of tables) {
    const ws = XLSX.utils.aoa_to_sheet(table.rows.map((r) => [...r]));
    XLSX.utils.book_append_sheet(wb, ws, table.name);
  }
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
