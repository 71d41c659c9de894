import type { Em } from './em.js';

class RolledBack extends Error {}

/**
 * Tries a write and rolls it back: SQLite opens a file it may not write (its permissions, a
 * read-only file system) read-only without a word, and a server on it answered every read and
 * `/readyz` and failed every write. Throws SQLite's error (SQLITE_READONLY…) if the write fails.
 */
export async function probeSqliteWrite(em: Em): Promise<void> {
  try {
    await em.transactional(async (tem) => {
      const [row] = await (tem as Em).execute<{ user_version: number }[]>('pragma user_version');
      await (tem as Em).execute(`pragma user_version = ${Number(row?.user_version ?? 0)}`);
      throw new RolledBack();
    });
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
  }
}
