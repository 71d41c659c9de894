import type { Em } from '../em.js';

export interface IdempotencyRow {
  readonly requestHash: string;
  readonly response: string;
  /** What the first run touched, as the caller wrote it; null when it kept nothing. */
  readonly touched: string | null;
}

/** The answer kept for an (owner, key), if any. */
export async function findIdempotencyRecord(
  em: Em,
  owner: string,
  key: string,
): Promise<IdempotencyRow | null> {
  const [row] = await em.execute(
    'select request_hash, response, touched from idempotency_record where owner = ? and key = ?',
    [owner, key],
  );
  return row
    ? {
        requestHash: String(row.request_hash),
        response: String(row.response),
        touched: row.touched === null || row.touched === undefined ? null : String(row.touched),
      }
    : null;
}

/** Keeps the first answer for an (owner, key), in the write's transaction. */
export async function insertIdempotencyRecord(
  em: Em,
  owner: string,
  key: string,
  record: IdempotencyRow,
): Promise<void> {
  await em.execute(
    'insert into idempotency_record (owner, key, request_hash, response, touched, created_at) values (?, ?, ?, ?, ?, ?)',
    [owner, key, record.requestHash, record.response, record.touched, new Date()],
    'run',
  );
}
