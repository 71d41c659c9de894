import type { Logger } from 'pino';
import type { Em } from '../db/orm.js';
import type { Loaders } from './loaders.js';

/** Built per request: a fresh entity-manager fork, fresh loaders, the acting user. */
export interface Context {
  readonly em: Em;
  readonly loaders: Loaders;
  readonly actor: string;
  readonly log: Logger;
}
