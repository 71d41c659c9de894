/** The file of a `sqlite:PATH` database URL, or null for PostgreSQL and an in-memory database. */
export function sqliteFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const file = databaseUrl.slice('sqlite:'.length);
  return file === '' || file === ':memory:' ? null : file;
}

/**
 * SQLite's "unable to open database file" and "attempt to write a readonly database" name no
 * file: these say which, and the usual causes.
 */
export function namedSqliteFile(err: unknown, file: string | null): unknown {
  const code = (err as { code?: unknown })?.code;
  if (file !== null && typeof code === 'string' && code.startsWith('SQLITE_READONLY'))
    return new Error(
      `cannot write the SQLite database ${file} (${code}): check that this user may write the file and its folder, and that its file system is not mounted read-only`,
      { cause: err },
    );
  if (file === null || code !== 'SQLITE_CANTOPEN') return err;
  return new Error(
    `cannot open the SQLite database ${file} (is it a directory, or is its folder not writable?)`,
    { cause: err },
  );
}
