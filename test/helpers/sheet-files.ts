import * as XLSX from '@e965/xlsx';

/** An .xlsx of one sheet holding `rows` (header first); `edit` may change the sheet first. */
export function xlsx(rows: unknown[][], edit?: (ws: XLSX.WorkSheet) => void): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(rows);
  edit?.(ws);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 's');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** The first sheet of an .xlsx (or a CSV) as rows of cell texts, header first. */
export function table(bytes: Uint8Array): string[][] {
  const wb = XLSX.read(bytes, { type: 'buffer' });
  return XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, {
    header: 1,
    raw: false,
    defval: '',
  });
}
