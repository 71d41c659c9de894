/** The file of a `sqlite:PATH` database URL, or null for PostgreSQL and an in-memory database. */
export function sqliteFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const file = databaseUrl.slice('sqlite:'.length);
  return file === '' || file === ':memory:' ? null : file;
}
