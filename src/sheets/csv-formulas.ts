/**
 * CSV has no cell types: a spreadsheet program that opens one evaluates a cell that begins with
 * `=`, `+`, `-` or `@` (or a tab or CR before one) as a formula, so an item named
 * `=HYPERLINK("http://…")` would run as one on a colleague's machine (CSV injection; OWASP's
 * advice is an apostrophe in front). The export writes such a text cell with a leading `'`, which
 * those programs show as text; the import takes one leading `'` off a cell that goes on with one
 * of those characters (or another `'`), so an export reads back as it was written.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const ESCAPED = /^'[=+\-@\t\r']/;

/** A text cell as the CSV export writes it. */
export function csvSafeText(value: string): string {
  return FORMULA_START.test(value) || ESCAPED.test(value) ? `'${value}` : value;
}

/** A CSV cell's text as it was before the export made it safe. */
export function csvCellText(value: string): string {
  return ESCAPED.test(value) ? value.slice(1) : value;
}
