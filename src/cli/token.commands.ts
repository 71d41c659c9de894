import { loadConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { openDatabase, openExistingDatabase } from '../db/open-database.js';
import type { Em } from '../db/em.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import {
  checkTokenInput,
  createToken,
  listTokens,
  revokeToken,
  type TokenInfo,
} from '../services/tokens.js';
import { createLogger } from '../server/logger.js';
import { terminalSafe } from './terminal-text.js';
import { formatTable } from './text-table.js';
import { tokenErrorMessage, type TokenInput } from './token-messages.js';
import { EXIT_CODE } from './usage-errors.js';
import { unknownKeyHint } from './known-keys.js';

/** `existing`: the database must be there already (listing or revoking in a new file is a typo). */
async function withDb<T>(run: (em: Em) => Promise<T>, existing = true): Promise<T> {
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const orm = await (existing ? openExistingDatabase(config, log) : openDatabase(config, log));
  try {
    return await run(orm.em.fork() as Em);
  } finally {
    await orm.close();
  }
}

function fail(err: unknown, input: TokenInput, hint = ''): number {
  if (!(err instanceof DomainError)) throw err;
  console.error(`jindu token: ${terminalSafe(tokenErrorMessage(err, input) + hint)}`);
  // A bad option value is a usage error; a name that is taken or not there is a failure of a
  // well-formed command, as git's are.
  return err.code === 'INVALID_INPUT' ? EXIT_CODE.USAGE : EXIT_CODE.FAILURE;
}

/** `jindu token create`: the secret is the last line of stdout, shown this once. */
export async function tokenCreateCommand(opts: {
  name: string;
  role: string;
  initiative?: string;
  expires?: string;
}): Promise<number> {
  try {
    checkTokenInput(opts); // a usage error opens no database (on SQLite, creates none)
  } catch (err) {
    return fail(err, opts);
  }
  return withDb(async (em) => {
    try {
      const { token, info } = await createToken({
        em,
        name: opts.name,
        role: opts.role,
        initiativeKey: opts.initiative,
        expires: opts.expires,
      });
      const scope = opts.initiative ? `initiative ${opts.initiative}` : 'every initiative';
      const expiry = info.expiresAt ? `expires ${info.expiresAt.toISOString()}` : 'never expires';
      console.log(
        terminalSafe(
          `created token "${info.name}": role ${info.role}, ${scope}, ${expiry}. It is shown only now; store it safely.`,
        ),
      );
      console.log(token);
      return 0;
    } catch (err) {
      return fail(err, opts, await unknownKeyHint(err, em));
    }
  }, false); // a first token may be made before the first start: it creates the database
}

function state(t: TokenInfo): 'revoked' | 'expired' | 'active' {
  if (t.revokedAt) return 'revoked';
  return t.expiresAt && t.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
}

/** `jindu token list [--json]`: an aligned table (or JSON), never a secret. */
export async function tokenListCommand(opts: { json?: boolean }): Promise<number> {
  return withDb(async (em) => {
    const keys = new Map((await findAllInitiatives(em)).map((i) => [i.id, i.key]));
    const tokens = (await listTokens(em)).map((t) => ({
      name: t.name,
      role: t.role,
      initiative:
        t.initiativeId === null ? null : (keys.get(t.initiativeId) ?? `#${t.initiativeId}`),
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt?.toISOString() ?? null,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      state: state(t),
    }));
    if (opts.json) {
      // JSON.stringify escapes C0 controls; terminalSafe takes the C1 and bidi ones too.
      console.log(terminalSafe(JSON.stringify(tokens, null, 2)));
      return 0;
    }
    if (tokens.length === 0) {
      console.log(
        'no tokens yet; create one with: npx jindu token create --name NAME --role admin',
      );
      return 0;
    }
    // Minutes in UTC, as stored; --json has the full timestamps.
    const minute = (iso: string | null, none: string) =>
      iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : none;
    const rows = tokens.map((t) => [
      t.name,
      t.role,
      t.initiative ?? '*',
      `${t.prefix}…`,
      minute(t.createdAt, ''),
      minute(t.expiresAt, 'never'),
      minute(t.lastUsedAt, '-'),
      t.state,
    ]);
    process.stdout.write(
      formatTable(
        ['NAME', 'ROLE', 'INITIATIVE', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'STATE'],
        rows,
      ),
    );
    return 0;
  });
}

export async function tokenRevokeCommand(name: string): Promise<number> {
  return withDb(async (em) => {
    try {
      const info = await revokeToken(em, name);
      const at = info.revokedAt!.toISOString();
      console.log(
        terminalSafe(
          info.already
            ? `token "${info.name}" was already revoked (${at})`
            : `revoked token "${info.name}" (${at})`,
        ),
      );
      return 0;
    } catch (err) {
      return fail(err, { name });
    }
  });
}
