import type { Em } from '../orm.js';

export interface IdempotencyRow {
  readonly requestHash: string;
  readonly response: string;
}

/** The answer kept for an (owner, key), if any. */
export async function findIdempotencyRecord(
  em: Em,
  owner: string,
  key: string,
): Promise<IdempotencyRow | null> {
  const [row] = await em.execute(
    'select request_hash, response from idempotency_record where owner = ? and key = ?',
    [owner, key],
  );
  return row ? { requestHash: String(row.request_hash), response: String(row.response) } : null;
}

/** Keeps the first answer for an (owner, key), in the write's transaction. */
export async function insertIdempotencyRecord(
  em: Em,
  owner: string,
  key: string,
  record: IdempotencyRow,
): Promise<void> {
  await em.execute(
    'insert into idempotency_record (owner, key, request_hash, response, created_at) values (?, ?, ?, ?, ?)',
    [owner, key, record.requestHash, record.response, new Date()],
    'run',
  );
}
