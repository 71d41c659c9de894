/** The two databases Jindu runs on. */
export type Dialect = 'sqlite' | 'postgresql';

/**
 * Platforms already asked (one per ORM): a write asks about ten times, and the answer came from
 * lower-casing the platform class's name each time.
 */
const known = new WeakMap<object, Dialect>();

/** Which database a MikroORM platform speaks. */
export function dialectOfPlatform(platform: object): Dialect {
  let dialect = known.get(platform);
  if (dialect === undefined) {
    dialect = platform.constructor.name.toLowerCase().includes('postgre') ? 'postgresql' : 'sqlite';
    known.set(platform, dialect);
  }
  return dialect;
}
