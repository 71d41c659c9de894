/**
 * The one error vocabulary of Jindu. Services throw DomainError for expected failures; the
 * GraphQL edge turns them into `userErrors` with the same code. Messages are Chinese by default.
 */
export const USER_ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_PERCENT',
  'INVALID_INPUT',
  'CYCLE',
  'STALE_VERSION',
  'TOO_MANY',
  'DUPLICATE_KEY',
  'IDEMPOTENCY_KEY_REUSED',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface UserErrorData {
  readonly code: UserErrorCode;
  readonly message: string;
  readonly field?: readonly string[];
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
    readonly field?: readonly string[],
  ) {
    super(message);
  }

  toUserError(): UserErrorData {
    return { code: this.code, message: this.message, field: this.field };
  }
}

/** Several expected failures found together (a bulk call reports every bad entry at once). */
export class DomainErrors extends Error {
  override readonly name = 'DomainErrors';
  constructor(readonly errors: readonly DomainError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** Largest number of entries one bulk mutation accepts. */
export const MAX_BULK = 100;

/** 1–100 entries, or INVALID_INPUT / TOO_MANY naming the input field. */
export function assertBulkSize(count: number, field: string, what: string): void {
  if (count === 0) throw new DomainError('INVALID_INPUT', `至少需要一个${what}`, [field]);
  if (count > MAX_BULK) {
    throw new DomainError('TOO_MANY', `一次最多 ${MAX_BULK} 个${what}，收到 ${count} 个`, [field]);
  }
}

/**
 * A thing the request named is not there (or not the caller's to see). The message names the
 * input that named it, as the client wrote it (`事项不存在（updates.3.itemId）`), never the
 * server's internal number, which is no id a client ever sent.
 */
export function notFound(what: string, field: readonly string[]): DomainError {
  return new DomainError('NOT_FOUND', `${what}不存在（${field.join('.')}）`, field);
}
