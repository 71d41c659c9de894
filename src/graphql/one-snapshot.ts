import { inReadSnapshot } from '../db/read-snapshot.js';
import { guardStatements } from '../db/statement-queue.js';
import type { Context } from './context.type.js';
import { createLoaders } from './loaders.js';

/** Per request, the last snapshot asked for: a request's snapshots take turns. */
const turns = new WeakMap<object, Promise<unknown>>();

/**
 * Runs a resolver's reads in one snapshot of the database (src/db/read-snapshot.ts), with a
 * context of its own: the request's principal, log and deadline, a manager in the snapshot
 * (its statements checked against the deadline, as the request's are) and loaders over it.
 * Everything `read` reads must come through that context: on SQLite a statement through any
 * other manager waits for the snapshot's connection.
 *
 * A request's snapshots run one after another (`initiatives { reportLines }` asks for one per
 * initiative): on PostgreSQL a request holds at most one connection for them, however many
 * initiatives it lists, and on SQLite they would wait for the one connection anyway.
 */
export function inOneSnapshot<T>(
  ctx: Context,
  read: (snapshot: Context) => Promise<T>,
): Promise<T> {
  // A request's own manager is never in a transaction: one that is belongs to a snapshot's
  // context already, and a read inside it stays in it.
  if (ctx.em.isInTransaction()) return read(ctx);
  const run = (turns.get(ctx) ?? Promise.resolve()).then(() =>
    inReadSnapshot(ctx.em, (em) => {
      const deadline = ctx.deadline;
      const guarded = deadline ? guardStatements(em, () => deadline.throwIfOver()) : em;
      const loaders = createLoaders(guarded);
      const snapshot: Context = Object.create(ctx, {
        em: { value: guarded },
        loaders: { value: loaders },
        loadersIfMade: { value: () => loaders },
      });
      return read(snapshot);
    }),
  );
  turns.set(
    ctx,
    run.catch(() => undefined),
  );
  return run;
}
