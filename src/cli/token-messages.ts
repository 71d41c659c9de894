import type { DomainError } from '../domain/errors.js';

/** What the user typed, for the sentence: the option values of the token commands. */
export interface TokenInput {
  readonly name?: string;
  readonly initiative?: string;
  readonly expires?: string;
}

/**
 * The CLI speaks English throughout (as its help does), while services word their errors in
 * Chinese for API users. Token errors are few and known by code and field, so they are said
 * again here in English rather than mixing the two languages in one message.
 */
export function tokenErrorMessage(err: DomainError, input: TokenInput): string {
  const field = err.field?.join('.') ?? '';
  const quoted = (value: string | undefined) => JSON.stringify(value ?? '');
  switch (`${err.code} ${field}`) {
    case 'DUPLICATE_KEY name':
      return `a token named ${quoted(input.name)} already exists`;
    case 'NOT_FOUND name':
      return `no token named ${quoted(input.name)}`;
    case 'NOT_FOUND initiative':
      return `no initiative with key ${quoted(input.initiative)}`;
    case 'INVALID_INPUT expires':
      return `--expires must be 1 to 999999 minutes, hours, days or weeks, written like 30m, 12h, 90d or 2w; got ${quoted(input.expires)}`;
    case 'INVALID_INPUT name':
      return '--name must be one line of 1–200 visible characters, without control or bidirectional-override characters';
    case 'INVALID_INPUT role':
      return '--role must be viewer, editor or admin';
    default:
      return `refused (${err.code}${field ? ` on ${field}` : ''})`;
  }
}
