import * as XLSX from '@e965/xlsx';
import type { Em } from '../../src/db/em.js';
import { exportSheet } from '../../src/services/export-sheet.js';
import { importSheet, type ImportResult } from '../../src/services/import-sheet.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import type { SheetFormat } from '../../src/sheets/write-sheet.js';

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

/** A file imported into an initiative as the command line imports it: all or nothing, no prune. */
export function importFile(
  em: Em,
  initiativeKey: string,
  bytes: Uint8Array,
  { dryRun = false, fileName = 'file.xlsx' }: { dryRun?: boolean; fileName?: string } = {},
): Promise<ImportResult> {
  return importSheet({
    em,
    initiativeKey,
    fileName,
    bytes,
    dryRun,
    skipErrors: false,
    prune: false,
    by: null,
    scope: ALL_INITIATIVES,
  });
}

/** An initiative's live item sheet, as the command line exports it. */
export async function exportFile(
  em: Em,
  initiativeKey: string,
  format: SheetFormat = 'xlsx',
): Promise<Buffer> {
  return (await exportSheet({ em, initiativeKey, format, canRead: () => true })).bytes;
}
