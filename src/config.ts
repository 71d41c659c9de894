/**
 * The one place that reads the environment: validated once, frozen, passed down.
 * Fails fast with every problem listed.
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly seed: 'week-20' | 'none';
  readonly logLevel: string;
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/jindu.sqlite';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be 0–65535, got "${env.PORT}"`);
  const databaseUrl = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be sqlite:PATH or postgres://…');
  }
  const seed = (env.JINDU_SEED ?? 'week-20').trim();
  if (seed !== 'week-20' && seed !== 'none')
    problems.push(`JINDU_SEED must be week-20 or none, got "${seed}"`);
  const sync = (env.JINDU_SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL')
    problems.push(`JINDU_SQLITE_SYNCHRONOUS must be FULL or NORMAL`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  if (problems.length > 0)
    throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  return Object.freeze({
    host: env.HOST?.trim() || '127.0.0.1',
    port,
    databaseUrl,
    seed: seed as Config['seed'],
    logLevel,
    sqliteSynchronous: sync as Config['sqliteSynchronous'],
  });
}
