import { encodeAscii, matchDecoded } from './ascii-base64url.js';

/** Opaque ids: base64url of `Type:number`. Clients must not parse them; we check the type on the way in. */
export type NodeTypeName = 'Initiative' | 'Workstream' | 'Item';

export function toGlobalId(type: NodeTypeName, id: number): string {
  return encodeAscii(`${type}:${id}`);
}

/** The numeric id inside a global id, or null when it is malformed or of another type. */
export function fromGlobalId(
  globalId: string,
  type?: NodeTypeName,
): { type: NodeTypeName; id: number } | null {
  if (typeof globalId !== 'string' || globalId.length > 64) return null;
  // Only the one spelling toGlobalId makes is an id (decodeAscii refuses the rest), so caches,
  // logs and idempotency see one id per object.
  const match = matchDecoded(globalId, /^(Initiative|Workstream|Item):([1-9]\d{0,14})$/);
  if (!match || (type && match[1] !== type)) return null;
  return { type: match[1] as NodeTypeName, id: Number(match[2]) };
}
