/** The two databases Jindu runs on. */
export type Dialect = 'sqlite' | 'postgresql';

/** Which database a MikroORM platform speaks. */
export function dialectOfPlatform(platform: object): Dialect {
  return platform.constructor.name.toLowerCase().includes('postgre') ? 'postgresql' : 'sqlite';
}
