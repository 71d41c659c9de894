import type { Em } from '../orm.js';
import { INITIATIVE_COLUMNS, toInitiative, type InitiativeRecord } from '../records.js';
import { placeholders } from './sql.js';

export async function findAllInitiatives(em: Em): Promise<InitiativeRecord[]> {
  const rows = await em.execute(`select ${INITIATIVE_COLUMNS} from initiative order by id`);
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
