import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The first answer to a request sent with an idempotency key, stored in the transaction of the
 * write it describes: a retry gets this answer back and writes nothing.
 */
export const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_record',
  properties: {
    /** Whose key: the token id, so two callers never share a key space. */
    owner: p.string().length(64).primary(),
    key: p.string().length(200).primary(),
    /** SHA-256 of the operation and its input, to refuse the same key with another payload. */
    requestHash: p.string().length(64),
    response: p.text(),
    /** What the first run touched (JSON ids), so a retry answers the same affected nodes. */
    touched: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type IdempotencyRecord = InferEntity<typeof IdempotencyRecordSchema>;
