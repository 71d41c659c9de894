import { createServer } from 'node:net';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { loadConfig } from '../config.js';
import { groupCommitFile, startGroupCommit } from '../db/group-commit.js';
import { openDatabase } from '../db/open-database.js';
import { writesDone } from '../db/write-gate.js';
import type { Em } from '../db/em.js';
import { seedIfEmpty } from '../services/load-seed.js';
import { listTokens } from '../services/tokens.js';
import { createApp } from '../server/app.js';
import { asyncContextKind } from '../server/async-context.js';
import { createLogger } from '../server/logger.js';
import { lockDatabaseForServe } from './serve-lock.js';
import { CliError } from './usage-errors.js';
import { startSnapshotTimer } from '../server/snapshot-timer.js';

/** Starts the server: open, migrate, seed an empty database, listen, stop cleanly on a signal. */
export async function serveCommand(): Promise<void> {
  // Before anything slow: npx gone while this server migrates or seeds stops it too.
  stopWithNpm();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // Before anything touches the file, so a second server changes nothing and says why.
  const unlock = lockDatabaseForServe(config.databaseUrl);
  // Before the database is opened: a release that cannot serve must not migrate the schema
  // under the instances still serving it.
  await portFreeOrThrow(config.host, config.port);
  // Seeding runs under the startup lock: "is it empty?" is asked by one instance at a time.
  // Group commit (src/db/group-commit.ts): SQLite syncs no commit itself; writes are answered
  // once the WAL is synced off the event loop, one sync for every write made meanwhile.
  const grouped = groupCommitFile(config);
  const orm = await openDatabase(
    grouped ? { ...config, sqliteSynchronous: 'NORMAL' } : config,
    log,
    async (opened) => {
      if (config.seed !== 'week-20') return;
      const seeded = await seedIfEmpty({ em: opened.em.fork() as Em, initiatives: week20Seed });
      log.info(
        { seeded },
        seeded ? 'empty database: loaded the week-20 seed' : 'database has data: seed skipped',
      );
    },
  );
  const group = grouped
    ? startGroupCommit(orm, grouped, (err) =>
        log.fatal({ err }, 'the WAL could not be synced: every request is refused until a restart'),
      )
    : undefined;
  if (group) log.info('group commit: each write is answered once its commit is synced to disk');
  if (config.databaseUrl === 'sqlite::memory:')
    log.warn('DATABASE_URL is sqlite::memory:: every write is lost when this server stops');
  if ((await listTokens(orm.em.fork() as Em)).length === 0) {
    log.info(
      'no API tokens yet: every write needs one; create it with `npx jindu token create --name NAME --role admin`',
    );
  }
  const stopSnapshots = startSnapshotTimer(orm, log);
  const app = await createApp(orm, log, config);
  const url = await app.listen(config.port, config.host).catch((err: NodeJS.ErrnoException) => {
    throw listenError(err, config.host, config.port);
  });
  log.info(
    {
      url: `${url}/graphql`,
      graphiql: config.graphiql ? `${url}/graphiql` : 'off',
      anonymousRead: config.anonymousRead,
      introspection: config.introspection,
      asyncContext: asyncContextKind(),
    },
    'Jindu is serving',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Once the server stops listening nothing else keeps the process alive: hold it until the
    // database is closed and the last log lines are written (they go out in batches).
    const alive = setInterval(() => {}, 1_000);
    let waitingFor = 'the HTTP server, subscriptions and webhooks';
    const force = setTimeout(() => {
      log.error({ waitingFor }, 'shutdown did not finish in 10 s; exiting');
      setTimeout(() => process.exit(1), 1_000).unref(); // if the log cannot flush either
      log.flush(() => process.exit(1));
    }, 10_000).unref();
    stopSnapshots();
    await app.close();
    waitingFor = 'the writes under way';
    await writesDone(orm.em as Em);
    waitingFor = 'the database connections';
    await group?.close();
    await orm.close();
    unlock?.();
    clearTimeout(force);
    log.info('stopped');
    await new Promise<void>((resolve) =>
      log.flush((err) => {
        if (err) process.stderr.write(`the last log lines may be missing: ${err.message}\n`);
        resolve();
      }),
    );
    clearInterval(alive);
  };
  // Kept for every signal, not once: under `npm start` a Ctrl-C, or a supervisor signalling the
  // process group (systemd's default), reaches the server twice, directly and forwarded by npm,
  // and with the listener gone Node's default ended the process at the second, mid-shutdown,
  // with the last log lines unwritten. A repeat is ignored (`stopping`); the 10 s bound holds.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A rejection nobody handles is a bug whose effects are unknown (a webhook delivery, the
  // outbox, a pool): the process ends as Node would end it, so a supervisor starts a clean one,
  // but the reason goes to the log first, where an operator looks (Node prints it to stderr
  // only). A request's field that throws is not one of these: see jit-continuations.ts.
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled rejection (a bug): exiting');
    const exit = () => process.exit(1);
    setTimeout(exit, 2_000); // a log that cannot be written does not hold the exit
    log.flush(exit);
  });
}

/**
 * Started by npm or npx (which set npm_command), the server stops when they exit. npx runs it
 * under a shell that does not pass signals on: a SIGTERM sent to npx (by a supervisor, a
 * container runtime, a pid file's script) ended npx and the shell and left the server running,
 * holding its port and its database. Orphaned, a process gets a new parent: it is then sent the
 * SIGTERM its parent was, which stops it gracefully once serving, and ends a start under way as
 * a signal would. (An npm script that puts the server in the background on purpose would stop
 * it the same way: start it with node, not through npm, for that.)
 */
function stopWithNpm(): void {
  if (!process.env.npm_command) return;
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  watch.unref();
}

/**
 * Listens on the address and lets it go again, so a port taken (or an address this machine does
 * not have) is said before anything else happens. Another program could still take the port in
 * the moment before the server listens; that is then said as before, after the migrations.
 */
async function portFreeOrThrow(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, resolve);
  }).catch((err: NodeJS.ErrnoException) => {
    throw listenError(err, host, port);
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** Why the server could not listen, in one line that says what to do; other errors as they are. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (err.code === 'EADDRINUSE')
    return new CliError(
      `${where} is already in use (another Jindu, or another program); stop it or start with another PORT (PORT=0 picks a free one)`,
    );
  if (err.code === 'EACCES')
    return new CliError(
      `not allowed to listen on ${where} (ports below 1024 need privileges); start with PORT=4000 or another port above 1023`,
    );
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
    return new CliError(
      `HOST ${host} is not a name this machine can resolve (${err.code}); set HOST to an address (127.0.0.1, 0.0.0.0) or a name it resolves`,
    );
  if (err.code === 'EADDRNOTAVAIL')
    return new CliError(
      `${host} is not an address of this machine; set HOST to one that is (or 127.0.0.1)`,
    );
  return err;
}
