import { DomainError } from './errors.js';

/** The longest search text: a name is at most 200 characters, so a longer one matches nothing. */
export const MAX_SEARCH_LENGTH = 200;

/**
 * A LIKE pattern (escape character `\`) matching names that contain `search` literally: `%`, `_`
 * and `\` typed by a user are searched for, not wildcards. Case folding is the database's
 * (ASCII letters on both; see README). Surrounding white space is dropped, as names have none.
 */
export function containsPattern(search: string, field: readonly string[] = ['search']): string {
  if (search.length > MAX_SEARCH_LENGTH)
    throw new DomainError('INVALID_INPUT', `搜索文字不能超过 ${MAX_SEARCH_LENGTH} 个字符`, field);
  return `%${search.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The same match in memory (as-of reads page replayed items): a literal substring, ASCII
 * letters in either case, other characters as they are — what the databases' LIKE/ILIKE do.
 */
export function nameContains(name: string, search: string): boolean {
  const fold = (text: string) => text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  return fold(name).includes(fold(search.trim()));
}
