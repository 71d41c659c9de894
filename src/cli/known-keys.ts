import { DomainError } from '../domain/errors.js';
import type { Em } from '../db/em.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import { graphqlRequest } from './report-client.js';
import { isUnknownKey } from './usage-errors.js';

/** How many keys a message lists at most (a team has a handful; a large install, many). */
const MAX_LISTED = 20;

/**
 * What follows "no initiative with key X": the keys there are, so a mistyped key can be put
 * right without another command (`; keys: account-2, hive, pos`). Empty when there are none to
 * list, or they could not be read: the message then stands alone, as it did.
 */
export function keysHint(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const sorted = [...new Set(keys)].sort();
  const more = sorted.length > MAX_LISTED ? `, … (${sorted.length} in all)` : '';
  return `; keys: ${sorted.slice(0, MAX_LISTED).join(', ')}${more}`;
}

/**
 * The keys of the database's initiatives, archived ones too (commands take those by key); none
 * when that read fails (the refusal is then said without them).
 */
export async function localKeys(em: Em): Promise<string[]> {
  try {
    return (await findAllInitiatives(em)).map((i) => i.key);
  } catch {
    return [];
  }
}

/** `keysHint` of the database's keys when `err` says an initiative key names none, else ''. */
export async function unknownKeyHint(err: unknown, em: Em): Promise<string> {
  return err instanceof DomainError && isUnknownKey(err) ? keysHint(await localKeys(em)) : '';
}

/** The keys a running server lists to this caller; none when that read fails. */
export async function serverKeys(url: string, token: string | undefined): Promise<string[]> {
  try {
    const data = await graphqlRequest<{ initiatives: { key: string }[] }>(
      url,
      '{ initiatives { key } }',
      {},
      token,
    );
    return data.initiatives.map((i) => i.key);
  } catch {
    return [];
  }
}
