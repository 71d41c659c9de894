import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cpuNsOf } from './server-process.js';

/**
 * The PostgreSQL side of the bench: a database made and dropped for the run on the server named by
 * JINDU_BENCH_POSTGRES_URL (default: the machine's, trust auth), and pgbench's plain single-row
 * UPDATE as the baseline for writes.
 */
export const ADMIN_URL =
  process.env.JINDU_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Where pgbench is, or null. */
export function findPgbench(): string | null {
  for (const dir of ['/usr/bin', ...(process.env.PATH ?? '').split(':')]) {
    if (dir && existsSync(join(dir, 'pgbench'))) return join(dir, 'pgbench');
  }
  return null;
}

/** Why PostgreSQL cannot be used for the bench, or null when it can. */
export async function postgresUnavailable(): Promise<string | null> {
  if (!findPgbench()) return 'pgbench is not installed';
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return `no PostgreSQL at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (${(err as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

const urlOf = (name: string) => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/** Runs one statement on its own connection to `url` (default: the server's admin database). */
async function runOn(sql: string, url = ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty database for this run (`jindu_bench_<pid>_<n>`). */
export async function createBenchDatabase(n: number): Promise<BenchDatabase> {
  const name = `jindu_bench_${process.pid}_${n}`;
  await runOn(`drop database if exists ${name} with (force)`);
  await runOn(`create database ${name}`);
  return { url: urlOf(name), drop: () => runOn(`drop database if exists ${name} with (force)`) };
}

/**
 * CPU time so far of each PostgreSQL backend serving one database (their process titles name
 * it), nanoseconds by pid: other databases' work on a shared server is left out.
 */
export function postgresCpu(url: string): Map<number, number> {
  const name = ` ${new URL(url).pathname.slice(1)} `;
  const byPid = new Map<number, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name))
        byPid.set(+pid, cpuNsOf(+pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

/**
 * The CPU the database's backends used since `before` (a `postgresCpu` reading), nanoseconds:
 * per backend, so a backend that ends in between (a pooled connection let go) takes its total
 * with it instead of making the sum go down; what such a backend used after `before` is not
 * counted, so the figure can only be low.
 */
export function postgresCpuSince(url: string, before: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, ns] of postgresCpu(url)) total += ns - (before.get(pid) ?? 0);
  return total;
}

/** A table shaped like `item`'s written columns, `rows` rows, for pgbench to update. */
export async function preparePgbenchTable(url: string, rows: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table bench_update (id int primary key, status text not null,
      percent int not null, version int not null, updated_at timestamptz not null)`);
    await client.query(
      `insert into bench_update select g, 'NOT_STARTED', 0, 1, now() from generate_series(1, $1) g`,
      [rows],
    );
    await client.query('vacuum analyze bench_update');
  } finally {
    await client.end();
  }
}

/**
 * `vacuum analyze` of a whole database, as the pgbench table gets: rows copied or written in
 * bulk just before a load would otherwise be planned with the statistics of empty tables until
 * autovacuum happens to analyze them, part way through some load (a write's read of its
 * figures then scanned every node of the initiative rather than looking up its path).
 */
export const analyzeDatabase = (url: string): Promise<void> => runOn('vacuum analyze', url);

/**
 * pgbench with `clients` connections, each running single-row UPDATEs of random rows in
 * autocommit for `seconds`: transactions per second.
 */
export function pgbenchUpdates(
  url: string,
  dir: string,
  rows: number,
  clients: number,
  seconds: number,
): number {
  const script = join(dir, 'pgbench-update.sql');
  writeFileSync(
    script,
    [
      `\\set id random(1, ${rows})`,
      '\\set percent random(1, 99)',
      "update bench_update set status = 'IN_PROGRESS', percent = :percent, version = version + 1, updated_at = now() where id = :id;",
      '',
    ].join('\n'),
  );
  const target = new URL(url);
  const out = execFileSync(
    findPgbench()!,
    [
      '-n',
      '-h',
      target.hostname,
      '-p',
      target.port || '5432',
      '-U',
      decodeURIComponent(target.username || 'postgres'),
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      '-T',
      String(Math.max(1, Math.round(seconds))),
      '-f',
      script,
      target.pathname.slice(1),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tps = out.match(/tps = ([\d.]+)/);
  if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(tps[1]);
}
