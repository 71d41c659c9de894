/** A whole file refused before any row is looked at (empty, too big, not a spreadsheet…). */
export class SheetError extends Error {
  override readonly name = 'SheetError';
  constructor(
    readonly code:
      'EMPTY' | 'TOO_LARGE' | 'TOO_MANY_ROWS' | 'NOT_A_SPREADSHEET' | 'UNSUPPORTED' | 'BAD_HEADERS',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The sheet thread stopped before it answered: a step of this file took longer than the
 * deadline (`TIMEOUT`), or another file's step did, or ran out of memory, while this one waited
 * behind it (`RETRY`). Nothing was written; the next upload gets a new thread.
 */
export class SheetThreadError extends Error {
  override readonly name = 'SheetThreadError';
  constructor(
    readonly code: 'TIMEOUT' | 'RETRY',
    message: string,
  ) {
    super(message);
  }
}

/** Files larger than this are refused by their size, before any parsing. */
export const MAX_SHEET_BYTES = 10 * 1024 * 1024;
/** Data rows one import accepts (10,000 fit comfortably; 100,000 is refused). */
export const MAX_SHEET_ROWS = 20_000;
