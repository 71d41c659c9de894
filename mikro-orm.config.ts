import { defineConfig } from '@mikro-orm/core';
import { loadConfig } from './src/config.js';
import { ormOptions } from './src/db/orm.js';

/**
 * The MikroORM configuration, read from the same environment as the server (DATABASE_URL), so
 * `npx mikro-orm schema:update --dump` shows what `jindu migrate` would change.
 */
const config = loadConfig();
// A promise: the options load PostgreSQL's driver only for a PostgreSQL URL (the CLI awaits it).
export default ormOptions({
  databaseUrl: config.databaseUrl,
  sqliteSynchronous: config.sqliteSynchronous,
}).then((options) => defineConfig(options));
