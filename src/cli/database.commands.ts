import { week20Seed } from '../../seeds/week-20.seed.js';
import { loadConfig } from '../config.js';
import { openDatabase, openExistingDatabase } from '../db/open-database.js';
import { dialectOf, type Em } from '../db/em.js';
import { sqliteFileOf } from '../db/sqlite-file.js';
import { LISTENER_NAME } from '../services/live/pg-doorbell.js';
import { lockDatabaseForServe } from './serve-lock.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import { loadSeed } from '../services/load-seed.js';
import { verifyCounters } from '../services/verify-counters.js';
import { createLogger } from '../server/logger.js';
import { terminalSafe } from './terminal-text.js';
import { CliError, EXIT_CODE } from './usage-errors.js';
import { keysHint } from './known-keys.js';

function setup() {
  const config = loadConfig();
  return { config, log: createLogger(process.env.LOG_LEVEL ?? 'warn') };
}

/** `jindu migrate`: applies the pending versioned migrations (upgrades an unversioned database). */
export async function migrateCommand(): Promise<number> {
  const { config, log } = setup();
  let applied: readonly string[] = [];
  const orm = await openDatabase(config, log, async (_orm, schema) => {
    applied = schema.applied;
  });
  await orm.close();
  // Say what changed: an upgrade is the moment an operator wants it written down.
  for (const name of applied) console.log(`applied migration ${name}`);
  console.log(
    `schema up to date (${config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl : 'postgresql'})`,
  );
  return 0;
}

/** `jindu seed`: loads the week-20 report into an empty database (or after --reset --yes). */
export async function seedCommand(opts: { reset?: boolean; yes?: boolean }): Promise<number> {
  const { config, log } = setup();
  // Before the database is opened: a refused command creates no file.
  if (opts.reset && !opts.yes) {
    console.error(
      'jindu seed: --reset drops every initiative, workstream, item, log row and API token; add --yes to confirm',
    );
    return 2;
  }
  // A running server keeps trees, answers and its place in the outbox from the data a reset
  // drops: it would go on serving them, and miss every event of the new data.
  const unlock = opts.reset ? serveLockForReset(config.databaseUrl) : null;
  if (unlock === false) return 1;
  const orm = await openDatabase(config, log);
  try {
    if (opts.reset) {
      const serving = await runningPostgresServers(orm.em.fork() as Em);
      if (serving > 0) {
        console.error(
          `jindu seed: ${serving} jindu serve process(es) are serving this database; stop them before --reset (they would go on serving the old data and miss the new data's events)`,
        );
        return 1;
      }
      await orm.schema.refresh();
    }
    const existing = await findAllInitiatives(orm.em.fork() as Em);
    if (existing.length > 0) {
      console.error(
        `jindu seed: the database already has ${existing.length} initiative(s); nothing loaded (use --reset --yes to start over)`,
      );
      return 1;
    }
    const loaded = await loadSeed({ em: orm.em.fork() as Em, initiatives: week20Seed });
    console.log(
      `loaded the week-20 seed: ${loaded.initiatives} initiatives, ${loaded.items} items`,
    );
    return 0;
  } finally {
    unlock?.();
    await orm.close();
  }
}

/** `jindu verify`: recomputes counters and figures from the items; exit 1 on any difference. */
export async function verifyCommand(opts: { json?: boolean }): Promise<number> {
  const { config, log } = setup();
  const orm = await openExistingDatabase(config, log);
  try {
    const report = await verifyCounters(orm.em.fork() as Em);
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `checked ${report.initiatives} initiatives, ${report.workstreams} workstreams, ${report.items} items`,
      );
      for (const d of report.differences) {
        console.log(
          `DIFF ${d.initiative} workstream ${d.workstreamId} ${d.what}: stored ${d.stored}, recomputed ${d.recomputed}`,
        );
      }
      console.log(
        report.differences.length === 0
          ? 'ok: every counter and figure matches the items'
          : `${report.differences.length} difference(s)`,
      );
    }
    return report.differences.length === 0 ? 0 : 1;
  } finally {
    await orm.close();
  }
}

/** `jindu verify --replay`: rebuilds everything from the change log alone and compares. */
export async function verifyReplayCommand(opts: { json?: boolean }): Promise<number> {
  const { config, log } = setup();
  const orm = await openExistingDatabase(config, log);
  try {
    const { verifyReplay } = await import('../services/verify-replay.js');
    const report = await verifyReplay(orm.em.fork() as Em);
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`replayed ${report.entries} log entries of ${report.initiatives} initiatives`);
      for (const d of report.differences)
        console.log(`DIFF ${d.initiative} ${d.what}: live ${d.live}, replayed ${d.replayed}`);
      console.log(
        report.differences.length === 0
          ? 'ok: the log alone rebuilds every counter, item, workstream and figure'
          : `${report.differences.length} difference(s)`,
      );
    }
    return report.differences.length === 0 ? 0 : 1;
  } finally {
    await orm.close();
  }
}

/** `jindu snapshot`: snapshots tallies for as-of reads (every initiative, or one; now or --at). */
export async function snapshotCommand(opts: { initiative?: string; at?: string }): Promise<number> {
  const at = opts.at ? new Date(opts.at) : null;
  if (at && Number.isNaN(at.getTime())) {
    console.error(
      terminalSafe(
        `jindu snapshot: --at must be an ISO date or time, e.g. 2023-05-13T23:59:59+08:00 (got ${opts.at})`,
      ),
    );
    return 2;
  }
  if (at && at.getTime() > Date.now() + 60_000) {
    // A snapshot is of what is known; a future one would be taken as of now, unasked.
    console.error(
      terminalSafe(
        `jindu snapshot: --at must not be in the future (got ${opts.at}); leave it out for now`,
      ),
    );
    return 2;
  }
  const { config, log } = setup();
  const orm = await openExistingDatabase(config, log);
  try {
    const { takeSnapshot } = await import('../services/snapshots.js');
    const em = orm.em.fork() as Em;
    const all = await findAllInitiatives(em);
    const chosen = opts.initiative ? all.filter((i) => i.key === opts.initiative) : all;
    if (opts.initiative && chosen.length === 0) {
      const hint = keysHint(all.map((i) => i.key));
      console.error(
        terminalSafe(`jindu snapshot: no initiative with key "${opts.initiative}"${hint}`),
      );
      return EXIT_CODE.UNKNOWN_KEY;
    }
    for (const initiative of chosen) {
      const s = await takeSnapshot(em, initiative.id, at);
      console.log(
        `snapshot ${initiative.key}: as of ${s.effectiveAt.toISOString()}, known at ${s.recordedAt.toISOString()}, ${s.workstreams} workstreams`,
      );
    }
    return 0;
  } finally {
    await orm.close();
  }
}

/**
 * `seed --reset` on a SQLite file takes the serve lock for the reset: null on PostgreSQL and in
 * memory, false (said on stderr) while a `jindu serve` holds it.
 */
function serveLockForReset(databaseUrl: string): (() => void) | null | false {
  try {
    return lockDatabaseForServe(databaseUrl);
  } catch (err) {
    if (!(err instanceof CliError) || !/another jindu serve/.test(err.message)) throw err;
    console.error(
      `jindu seed: a jindu serve is using ${sqliteFileOf(databaseUrl)}; stop it before --reset (it would go on serving the old data and miss the new data's events)`,
    );
    return false;
  }
}

/** PostgreSQL: the servers on this database, by their outbox listeners (pg-doorbell.ts). */
async function runningPostgresServers(em: Em): Promise<number> {
  if (dialectOf(em) !== 'postgresql') return 0;
  const [row] = await em.execute<{ n: number }[]>(
    'select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = ?',
    [LISTENER_NAME],
  );
  return Number(row?.n ?? 0);
}
