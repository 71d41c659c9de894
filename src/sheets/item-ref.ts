/**
 * The ID column: the item's GraphQL id (base64url of `Item:<n>`), so an id copied from the API
 * or from an export matches. Only the one spelling the API writes is accepted.
 */
export function itemRef(id: number): string {
  return Buffer.from(`Item:${id}`).toString('base64url');
}

export function itemIdOfRef(text: string): number | null {
  if (text.length > 64) return null;
  const match = /^Item:([1-9]\d{0,14})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const id = Number(match[1]);
  return itemRef(id) === text ? id : null;
}
