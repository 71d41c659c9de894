import { lexicographicSortSchema, printSchema } from 'graphql';
import { jinduSchema } from './schema.js';

export const SCHEMA_FILE = new URL('../../schema/schema.graphql', import.meta.url);

/** The schema as committed: sorted SDL, so diffs show real changes only. */
export async function renderSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await jinduSchema()))}\n`;
}
