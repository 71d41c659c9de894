import { dialectOf, type Em } from '../em.js';
import { INITIATIVE_COLUMNS, toInitiative, type InitiativeRecord } from '../records.js';
import { placeholders } from './sql.js';

export async function findAllInitiatives(em: Em): Promise<InitiativeRecord[]> {
  const rows = await em.execute(`select ${INITIATIVE_COLUMNS} from initiative order by id`);
  return rows.map(toInitiative);
}

/** The initiatives lists and reports show: every one not archived, oldest first. */
export async function findListedInitiatives(em: Em): Promise<InitiativeRecord[]> {
  const rows = await em.execute(
    `select ${INITIATIVE_COLUMNS} from initiative where archived_at is null order by id`,
  );
  return rows.map(toInitiative);
}

export async function findInitiativesByIds(
  em: Em,
  ids: readonly number[],
): Promise<InitiativeRecord[]> {
  const rows = await em.execute(
    `select ${INITIATIVE_COLUMNS} from initiative where id in (${placeholders(ids)})`,
    [...ids],
  );
  return rows.map(toInitiative);
}

export async function findInitiativeByKey(em: Em, key: string): Promise<InitiativeRecord | null> {
  const rows = await em.execute(`select ${INITIATIVE_COLUMNS} from initiative where key = ?`, [
    key,
  ]);
  return rows[0] ? toInitiative(rows[0]) : null;
}

/**
 * An initiative by key with its revision (0 when no write through the pipeline reached it), in
 * one statement: on PostgreSQL a kept answer's stamp is both, read by every request that could
 * be served from it, and one round trip costs less than two (the record and the revision also
 * come from one snapshot).
 */
export async function findInitiativeAndRevisionByKey(
  em: Em,
  key: string,
): Promise<{ record: InitiativeRecord; revision: number } | null> {
  const rows = await em.execute(
    `select ${INITIATIVE_COLUMNS},
       coalesce((select r.revision from initiative_revision r where r.initiative_id = initiative.id), 0) as revision
     from initiative where key = ?`,
    [key],
  );
  return rows[0] ? { record: toInitiative(rows[0]), revision: Number(rows[0].revision) } : null;
}

/**
 * Serializes structural changes of one initiative (create, move, delete, restore of workstreams;
 * items appearing where children may be): on PostgreSQL it locks the initiative row until the
 * transaction ends, so two such changes cannot both pass their checks. SQLite has one writer.
 */
export async function lockInitiative(em: Em, initiativeId: number): Promise<void> {
  if (dialectOf(em) === 'postgresql') {
    await em.execute('select id from initiative where id = ? for update', [initiativeId]);
  }
}
