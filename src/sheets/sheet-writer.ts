import { jobOn, sharedThread, type OffThreadOptions, type SheetThread } from './sheet-thread.js';
import type { CsvEncoding, SheetFormat, Table } from './write-sheet.js';

/** Rows of a table sent to the thread at a time (copying a message holds the event loop). */
const ROWS_PART = 2000;

/** Writes tables as a file (write-sheet.ts), here or on the sheet thread. */
export type SheetWriter = (
  tables: readonly Table[],
  format: SheetFormat,
  encoding?: CsvEncoding,
) => Promise<Buffer>;

/** On the caller's thread: the command line, which serves nothing else meanwhile. */
export const writeInThread: SheetWriter = async (tables, format, encoding) =>
  // SheetJS (1 MB) is loaded by the commands that write a file, not by every start.
  (await import('./write-sheet.js')).writeSheet(tables, format, encoding);

/**
 * On the sheet thread: SheetJS's write of a 10,000-item initiative held a server's event loop
 * for 240–360 ms as .xlsx (120–160 ms as CSV), every other request waiting meanwhile. The rows
 * go a part at a time, each part a message and a turn of the loop.
 */
export function writeOffThread(
  options: OffThreadOptions,
  on: SheetThread = sharedThread(),
): SheetWriter {
  return async (tables, format, encoding) => {
    const { ask, end } = jobOn(on, options.timeoutMs);
    try {
      for (const [table, { name, rows }] of tables.entries())
        for (let from = 0; from === 0 || from < rows.length; from += ROWS_PART)
          await ask(
            { kind: 'table', table, name, rows: rows.slice(from, from + ROWS_PART) },
            'table',
          );
      const { bytes } = await ask({ kind: 'write', format, encoding }, 'write');
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } finally {
      end();
    }
  };
}
