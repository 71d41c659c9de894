/** Opaque ids: base64url of `Type:number`. Clients must not parse them; we check the type on the way in. */
export type NodeTypeName = 'Initiative' | 'Workstream' | 'Item';

export function toGlobalId(type: NodeTypeName, id: number): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** The numeric id inside a global id, or null when it is malformed or of another type. */
export function fromGlobalId(
  globalId: string,
  type?: NodeTypeName,
): { type: NodeTypeName; id: number } | null {
  if (typeof globalId !== 'string' || globalId.length > 64) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^(Initiative|Workstream|Item):([1-9]\d{0,14})$/.exec(decoded);
  if (!match || (type && match[1] !== type)) return null;
  // Node's decoder skips padding and characters outside the alphabet: only the one spelling
  // toGlobalId makes is an id, so caches, logs and idempotency see one id per object.
  const parsed = { type: match[1] as NodeTypeName, id: Number(match[2]) };
  return toGlobalId(parsed.type, parsed.id) === globalId ? parsed : null;
}
