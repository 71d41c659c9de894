import { fromGlobalId, toGlobalId } from '../domain/global-id.js';

/**
 * The ID column: the item's GraphQL id (base64url of `Item:<n>`), so an id copied from the API
 * or from an export matches. Only the one spelling the API writes is accepted.
 */
export function itemRef(id: number): string {
  return toGlobalId('Item', id);
}

export function itemIdOfRef(text: string): number | null {
  return fromGlobalId(text, 'Item')?.id ?? null;
}
