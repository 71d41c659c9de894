import type { SqlEntityManager } from '@mikro-orm/sql';
import { dialectOfPlatform, type Dialect } from './dialect.js';

/**
 * The entity manager every query and use-case takes, on either database. Apart from orm.ts,
 * which opens the ORM: the driver's modules need these while orm.ts needs the drivers.
 */
export type Em = SqlEntityManager;

/** Which database an entity manager speaks. */
export function dialectOf(em: Em): Dialect {
  return dialectOfPlatform(em.getPlatform());
}
