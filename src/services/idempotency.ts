import { createHash } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { Em } from '../db/em.js';
import {
  findIdempotencyRecord,
  insertIdempotencyRecord,
} from '../db/queries/idempotency.queries.js';

export interface Idempotency {
  /** The caller's key, unique per token. */
  readonly key: string;
  /** Whose key space: the token. */
  readonly owner: string;
}

export interface Codec<T> {
  encode(value: T): unknown;
  decode(json: unknown): T;
}

/**
 * What a caller keeps beside the answer besides the answer itself (the write pipeline: what the
 * first run touched): `kept` is read after the first run, `replayed` is told it on a retry
 * (null when the record kept nothing).
 */
export interface KeptBeside {
  kept(): string | null;
  replayed(kept: string | null): void;
}

/**
 * Runs `work` once per (owner, key) and operation payload, inside the caller's transaction: a
 * retry gets the first answer back and writes nothing; the same key with another payload is
 * IDEMPOTENCY_KEY_REUSED. The record commits with the write, so a crash loses neither alone.
 */
export async function idempotent<T>(
  tem: Em,
  idem: Idempotency | null | undefined,
  request: { readonly operation: string; readonly input: unknown },
  codec: Codec<T>,
  work: () => Promise<T>,
  beside?: KeptBeside,
): Promise<T> {
  if (!idem) return work();
  if (idem.key.length === 0 || idem.key.length > 200) {
    throw new DomainError('INVALID_INPUT', '幂等键长度应为 1 到 200 个字符', ['idempotencyKey']);
  }
  const hash = createHash('sha256')
    .update(JSON.stringify([request.operation, request.input]))
    .digest('hex');
  const row = await findIdempotencyRecord(tem, idem.owner, idem.key);
  if (row) {
    if (row.requestHash !== hash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', '这个幂等键已用于另一个请求内容', [
        'idempotencyKey',
      ]);
    }
    beside?.replayed(row.touched);
    return codec.decode(JSON.parse(row.response));
  }
  const value = await work();
  await insertIdempotencyRecord(tem, idem.owner, idem.key, {
    requestHash: hash,
    response: JSON.stringify(codec.encode(value)),
    touched: beside?.kept() ?? null,
  });
  return value;
}
