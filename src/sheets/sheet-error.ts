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

/** Files larger than this are refused by their size, before any parsing. */
export const MAX_SHEET_BYTES = 10 * 1024 * 1024;
/** Data rows one import accepts (10,000 fit comfortably; 100,000 is refused). */
export const MAX_SHEET_ROWS = 20_000;
