import { CompiledQuery, type DatabaseConnection } from 'kysely';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

/** SQLite's durability settings, applied to every new connection (a reopened WAL file can differ). */
export function sqlitePragmaStatements(
  synchronous: SqliteSynchronous,
  inMemory: boolean,
): string[] {
  return [
    ...(inMemory ? [] : ['pragma journal_mode = WAL']),
    `pragma synchronous = ${synchronous}`,
    'pragma busy_timeout = 5000',
    'pragma foreign_keys = ON',
  ];
}

export function sqlitePragmas(synchronous: SqliteSynchronous, inMemory: boolean) {
  return async (connection: unknown): Promise<void> => {
    const conn = connection as DatabaseConnection;
    for (const sql of sqlitePragmaStatements(synchronous, inMemory)) {
      await conn.executeQuery(CompiledQuery.raw(sql));
    }
  };
}

export interface PragmaReport {
  readonly journalMode: string;
  readonly synchronous: SqliteSynchronous | string;
  readonly busyTimeout: number;
  readonly foreignKeys: boolean;
}

const SYNC_NAMES: Record<number, string> = { 0: 'OFF', 1: 'NORMAL', 2: 'FULL', 3: 'EXTRA' };

/** Reads the settings back and throws unless they are the ones asked for. */
export async function checkSqlitePragmas(
  execute: (sql: string) => Promise<Record<string, unknown>[]>,
  synchronous: SqliteSynchronous,
  inMemory: boolean,
): Promise<PragmaReport> {
  const one = async (sql: string) => Object.values((await execute(sql))[0] ?? {})[0];
  const report: PragmaReport = {
    journalMode: String(await one('pragma journal_mode')).toLowerCase(),
    synchronous: SYNC_NAMES[Number(await one('pragma synchronous'))] ?? 'unknown',
    busyTimeout: Number(await one('pragma busy_timeout')),
    foreignKeys: Number(await one('pragma foreign_keys')) === 1,
  };
  const wrong: string[] = [];
  if (!inMemory && report.journalMode !== 'wal') wrong.push(`journal_mode=${report.journalMode}`);
  if (report.synchronous !== synchronous) wrong.push(`synchronous=${report.synchronous}`);
  if (report.busyTimeout < 1000) wrong.push(`busy_timeout=${report.busyTimeout}`);
  if (!report.foreignKeys) wrong.push('foreign_keys=off');
  if (wrong.length > 0)
    throw new Error(`SQLite settings are not as configured: ${wrong.join(', ')}`);
  return report;
}
