import { loadConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { openDatabase } from '../db/open-database.js';
import type { Em } from '../db/orm.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import { createToken, listTokens, revokeToken } from '../services/tokens.js';
import { createLogger } from '../server/logger.js';

async function withDb<T>(run: (em: Em) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const orm = await openDatabase(config, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  try {
    return await run(orm.em.fork() as Em);
  } finally {
    await orm.close();
  }
}

function fail(err: unknown): number {
  if (!(err instanceof DomainError)) throw err;
  console.error(`jindu token: ${err.message}`);
  return 2;
}

/** `jindu token create`: the secret is the last line of stdout, shown this once. */
export async function tokenCreateCommand(opts: {
  name: string;
  role: string;
  initiative?: string;
  expires?: string;
}): Promise<number> {
  return withDb(async (em) => {
    try {
      const { token, info } = await createToken({
        em,
        name: opts.name,
        role: opts.role,
        initiativeKey: opts.initiative,
        expires: opts.expires,
      });
      console.log(
        `created token "${info.name}": role ${info.role}, ${opts.initiative ? `initiative ${opts.initiative}` : 'every initiative'}, ` +
          `${info.expiresAt ? `expires ${info.expiresAt.toISOString()}` : 'never expires'}. It is shown only now; store it safely.`,
      );
      console.log(token);
      return 0;
    } catch (err) {
      return fail(err);
    }
  });
}

export async function tokenListCommand(): Promise<number> {
  return withDb(async (em) => {
    const keys = new Map((await findAllInitiatives(em)).map((i) => [i.id, i.key]));
    const rows = (await listTokens(em)).map((t) => ({
      name: t.name,
      role: t.role,
      scope: t.initiativeId === null ? '*' : (keys.get(t.initiativeId) ?? `#${t.initiativeId}`),
      prefix: `${t.prefix}…`,
      created: t.createdAt.toISOString().slice(0, 16),
      expires: t.expiresAt?.toISOString().slice(0, 16) ?? 'never',
      lastUsed: t.lastUsedAt?.toISOString().slice(0, 16) ?? '-',
      state: t.revokedAt
        ? 'revoked'
        : t.expiresAt && t.expiresAt.getTime() <= Date.now()
          ? 'expired'
          : 'active',
    }));
    if (rows.length === 0) console.log('no tokens');
    else console.table(rows);
    return 0;
  });
}

export async function tokenRevokeCommand(name: string): Promise<number> {
  return withDb(async (em) => {
    try {
      const info = await revokeToken(em, name);
      console.log(`revoked token "${info.name}" (${info.revokedAt!.toISOString()})`);
      return 0;
    } catch (err) {
      return fail(err);
    }
  });
}
