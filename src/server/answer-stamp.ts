import { getArgumentValues, type GraphQLSchema } from 'graphql';
import { dialectOf, type Em } from '../db/em.js';
import {
  findInitiativeAndRevisionByKey,
  findInitiativeByKey,
} from '../db/queries/initiative.queries.js';
import type { InitiativeRecord } from '../db/records.js';
import { sqliteStamps } from '../db/write-generation.js';
import { argumentKeys, type Shape } from './answer-shape.js';

/** What a kept answer was made from, as read before it was made (answer-cache.ts). */
export interface AnswerStamp {
  readonly text: string;
  /** Each named initiative's id, in the query's order (null: no initiative has that key). */
  readonly ids: (number | null)[];
  /** Each named initiative's record as JSON ("null" for none). */
  readonly records: string[];
}

/**
 * The stamp of what `shape` reads, now; null when nothing may be kept (in a transaction, or on a
 * SQLite connection that counts no writes). Each initiative the query names counts
 * with its record and, on PostgreSQL, its revision (one statement for both), on SQLite the
 * write counts and `data_version` (src/db/write-generation.ts).
 */
export async function answerStamp(
  schema: GraphQLSchema,
  em: Em,
  shape: Shape,
  variables: Record<string, unknown>,
): Promise<AnswerStamp | null> {
  if (em.isInTransaction()) return null;
  const def = schema.getQueryType()!.getFields().initiative!;
  const keys = argumentKeys(shape.initiativeFields, (field) =>
    String(getArgumentValues(def, field, variables).key),
  );
  if (keys === null) return null;
  // Each record as read now: a key that names no initiative (the answer is null while none
  // has that key), or another one than before, is part of the stamp too.
  let records: (InitiativeRecord | null)[];
  let stamps: Map<number, string> | null;
  if (dialectOf(em) === 'postgresql') {
    const found = await Promise.all(keys.map((key) => findInitiativeAndRevisionByKey(em, key)));
    records = found.map((f) => f?.record ?? null);
    stamps = new Map(found.flatMap((f) => (f ? [[f.record.id, `r${f.revision}`]] : [])));
  } else {
    records = await Promise.all(keys.map((key) => findInitiativeByKey(em, key)));
    stamps = await sqliteStamps(
      em,
      records.flatMap((r) => (r ? [r.id] : [])),
    );
    if (!stamps) return null;
  }
  return {
    text: records.map((r) => (r ? `${stamps.get(r.id)}:${JSON.stringify(r)}` : 'none')).join('|'),
    ids: records.map((r) => r?.id ?? null),
    records: records.map((r) => JSON.stringify(r ?? null)),
  };
}
