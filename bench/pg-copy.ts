import Database from 'better-sqlite3';
import pg from 'pg';

/** The tables a generated initiative lives in, parents first (foreign keys). */
const TABLES = ['initiative', 'workstream', 'item', 'workstream_tally'] as const;
const ROWS_PER_INSERT = 1_000;

/**
 * Copies the generated initiatives of a SQLite bench file into a migrated PostgreSQL database,
 * row for row with the same ids, so both databases hold the same trees and counters: SQLite's
 * millisecond datetimes become timestamps, and the id sequences continue after the copied ids.
 */
export async function copySqliteToPostgres(file: string, url: string): Promise<void> {
  const source = new Database(file, { readonly: true });
  const target = new pg.Client({ connectionString: url });
  await target.connect();
  try {
    await target.query('begin');
    for (const table of TABLES) {
      const types = new Map(
        (
          await target.query<{ column_name: string; data_type: string }>(
            'select column_name, data_type from information_schema.columns where table_name = $1',
            [table],
          )
        ).rows.map((r) => [r.column_name, r.data_type]),
      );
      const rows = source.prepare(`select * from ${table}`).all() as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const columns = Object.keys(rows[0]!).filter((c) => types.has(c));
      const convert = columns.map((c) =>
        types.get(c)!.startsWith('timestamp')
          ? (v: unknown) => (v === null ? null : new Date(Number(v)))
          : (v: unknown) => v,
      );
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        const chunk = rows.slice(start, start + ROWS_PER_INSERT);
        const params: unknown[] = [];
        const values = chunk.map((row) => {
          const slots = columns.map((c, i) => {
            params.push(convert[i]!(row[c]));
            return `$${params.length}`;
          });
          return `(${slots.join(', ')})`;
        });
        await target.query(
          `insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`,
          params,
        );
      }
      if (types.has('id'))
        await target.query(
          `select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`,
        );
    }
    await target.query('commit');
  } finally {
    await target.end();
    source.close();
  }
}
