import type { ItemRecord } from '../db/records.js';
import type { Codec } from './idempotency.js';

/** Item records to and from the JSON an idempotency record keeps. */
export const itemsCodec: Codec<ItemRecord[]> = {
  encode: (items) => items,
  decode: (json) =>
    (
      json as (Omit<ItemRecord, 'createdAt' | 'updatedAt' | 'effectiveFrom'> & {
        createdAt: string;
        updatedAt: string;
        effectiveFrom: string;
      })[]
    ).map((i) => ({
      ...i,
      createdAt: new Date(i.createdAt),
      updatedAt: new Date(i.updatedAt),
      effectiveFrom: new Date(i.effectiveFrom),
    })),
};
