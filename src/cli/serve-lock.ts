import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sqliteFileOf } from '../db/sqlite-file.js';
import { CliError } from './usage-errors.js';

/**
 * One `jindu serve` per SQLite file. SQLite itself would let a second server open the same file,
 * and two processes then each keep their own tree caches and counters in memory, so their
 * answers drift apart (PostgreSQL is the path for several processes). The lock is an exclusive
 * SQLite transaction on a small file beside the database, held for the life of the process:
 * the operating system releases it when the process ends however it ends (kill -9 included), so
 * a stale lock cannot outlive its server. Token, seed and verify commands do not take it.
 *
 * Returns the release function, or null when there is nothing to lock (PostgreSQL, :memory:).
 */
export function lockDatabaseForServe(databaseUrl: string): (() => void) | null {
  const file = sqliteFileOf(databaseUrl);
  if (file === null) return null;
  // `-serve.lock` matches the `*.sqlite-*` pattern .gitignore already has for WAL files.
  const lockFile = resolve(`${file}-serve.lock`);
  let lock: Database.Database;
  try {
    mkdirSync(dirname(lockFile), { recursive: true });
    lock = new Database(lockFile, { timeout: 0 });
  } catch (err) {
    // SQLite's own words ("unable to open database file") name no file and no cause.
    throw new CliError(
      `cannot open ${lockFile}, the lock beside the database (is its folder not writable?): ${(err as Error).message}`,
    );
  }
  try {
    // Nothing is ever written: no journal file beside it, only the lock.
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new CliError(
        `another jindu serve is already using ${file} (it holds ${lockFile}); stop it first, or set DATABASE_URL to another file`,
      );
    }
    throw err;
  }
  return () => {
    if (lock.open) lock.close();
  };
}
