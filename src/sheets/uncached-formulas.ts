/**
 * Formulas saved without their result (openpyxl and some generators write them so). SheetJS
 * drops such a cell unless asked to keep empty cells (`sheetStubs`), which costs an object
 * for every styled empty cell too; read-sheet.ts asks only when a worksheet holds one.
 */

/**
 * A part that may be a worksheet: any XML part, since the workbook's relationships may place a
 * sheet anywhere. Text in other XML is escaped, so a formula element is found only in a sheet.
 */
export const mayBeWorksheet = (name: string) => /\.xml$/i.test(name);

/**
 * A formula element followed by no cached value, or an empty one (`<v></v>`, as openpyxl
 * writes), before its cell ends; with or without a namespace prefix.
 */
const UNCACHED_FORMULA =
  /<(?:\w+:)?f\b[^>]*(?:\/>|>[^<]*<\/(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*\/>|<(?:\w+:)?v>\s*<\/(?:\w+:)?v>)?\s*<\/(?:\w+:)?c>/;

/** True when a worksheet's XML holds a formula saved without its result. */
export function holdsUncachedFormula(content: Buffer): boolean {
  // Most sheets hold no formula at all: no text is made of them.
  if (content.indexOf('<f') === -1 && content.indexOf(':f') === -1) return false;
  return UNCACHED_FORMULA.test(content.toString('latin1'));
}
