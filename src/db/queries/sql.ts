/** `?, ?, ?` for a list of values (an empty list becomes a never-matching `null`). */
export function placeholders(values: readonly unknown[]): string {
  return values.length === 0 ? 'null' : values.map(() => '?').join(', ');
}
