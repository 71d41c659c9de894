import { closeSync, existsSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/core';
import type { Em } from './em.js';
import type { KeptStatementsConnection } from './sqlite-driver.js';
import { sqliteFileOf } from './sqlite-file.js';

/**
 * Group commit for a SQLite file in WAL mode. With `synchronous = FULL` every commit waits on
 * the event loop for its own `fsync` (better-sqlite3 is synchronous), so the process serves
 * nothing else meanwhile and writes cannot share a sync. Here the connection runs with
 * `synchronous = NORMAL` (a commit writes its frames to the WAL file and returns) and what must
 * not be answered before a commit is on disk awaits `durable()`: it resolves once a sync of the
 * WAL that began after that commit has finished. The sync runs on libuv's thread pool, and every
 * commit made while one runs is covered by the next one, shared by all who wait for them.
 *
 * A failed sync cannot be retried safely (the kernel may have dropped the dirty pages and a
 * second sync then succeeds without them), so after one every wait fails: the server answers
 * writes 503 until it is restarted and SQLite recovers from the WAL.
 */
export class GroupCommit {
  /** Commits known to be on disk (the connection's count when the last sync began). */
  private synced: number;
  /** The connection's count when this began. */
  private readonly first: number;
  private running: Promise<void> | null = null;
  private fd: number | null = null;
  private failed: Error | null = null;
  /** Syncs finished, for the metrics and the tests. */
  syncs = 0;

  private readonly sync: SyncFile;
  private readonly onFailure: (err: Error) => void;

  constructor(
    private readonly walFile: string,
    /** How many transactions the connection has committed so far. */
    private readonly commits: () => number,
    options: GroupCommitOptions = {},
  ) {
    this.sync = options.sync ?? fdatasync;
    this.onFailure = options.onFailure ?? (() => {});
    this.first = commits();
    this.synced = this.first; // what was committed before (with the settings of then) is not ours to sync
  }

  /** Transactions the connection committed since group commit began (not the migrations' and seed's). */
  get committed(): number {
    return this.commits() - this.first;
  }

  /** True once a sync failed: nothing this process commits can be acknowledged any more. */
  get broken(): boolean {
    return this.failed !== null;
  }

  /** Nothing when every commit made so far is on disk; otherwise a promise that says when it is. */
  durable(): Promise<void> | undefined {
    if (this.failed) return Promise.reject(this.failed);
    const target = this.commits();
    return target <= this.synced ? undefined : this.until(target);
  }

  private async until(target: number): Promise<void> {
    while (this.synced < target) {
      this.running ??= this.syncOnce().finally(() => (this.running = null));
      await this.running;
    }
  }

  private async syncOnce(): Promise<void> {
    if (this.failed) throw this.failed;
    // Every commit counted now has written its frames: the sync that starts next covers them.
    const covered = this.commits();
    try {
      const fd = (this.fd ??= openSync(this.walFile, 'r'));
      await new Promise<void>((resolve, reject) =>
        this.sync(fd, (err) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      // A WAL that cannot be opened is as unsynced as one whose sync failed.
      this.failed = new WalSyncError(this.walFile, err);
      this.onFailure(this.failed);
      throw this.failed;
    }
    this.syncs++;
    this.synced = Math.max(this.synced, covered);
  }

  /** Waits for the last commits to reach the disk, then lets the file go. */
  async close(): Promise<void> {
    await this.durable()?.catch(() => undefined);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

type SyncFile = (fd: number, done: (err: Error | null) => void) => void;

export interface GroupCommitOptions {
  /** How the WAL file is synced (fdatasync; the tests hold it). */
  readonly sync?: SyncFile;
  /** Told once, when a sync fails. */
  readonly onFailure?: (err: Error) => void;
}

export class WalSyncError extends Error {
  override readonly name = 'WalSyncError';
  readonly code = 'WAL_SYNC_FAILED';
  constructor(file: string, cause: unknown) {
    super(`could not sync ${file} to disk; restart the server`, { cause });
  }
}

const groups = new WeakMap<object, GroupCommit>();

/** Makes `group` the one the database behind `em` answers writes through. */
export function useGroupCommit(em: Em, group: GroupCommit): void {
  groups.set(em.getDriver(), group);
}

/**
 * Resolves once every commit so far on this database is on disk; nothing (no wait) when they
 * are already, or when the database syncs each commit itself (PostgreSQL, SQLite without group
 * commit).
 */
export function durableCommits(em: Em): Promise<void> | undefined {
  return groupCommitOf(em)?.durable();
}

/** The group commit of the database behind `em`, if it has one. */
export function groupCommitOf(em: Em): GroupCommit | undefined {
  return groups.get(em.getDriver());
}

/**
 * The SQLite file a server should group commits on (`sqlite:PATH` with FULL durability asked
 * and group commit on), or null: PostgreSQL, memory, NORMAL, or JINDU_SQLITE_GROUP_COMMIT=false.
 */
export function groupCommitFile(config: {
  readonly databaseUrl: string;
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  readonly sqliteGroupCommit: boolean;
}): string | null {
  if (config.sqliteSynchronous !== 'FULL' || !config.sqliteGroupCommit) return null;
  return sqliteFileOf(config.databaseUrl);
}

/** Group commit on `orm`'s SQLite connection (opened with `synchronous = NORMAL`) for `file`. */
export function startGroupCommit(
  orm: MikroORM,
  file: string,
  onFailure: (err: Error) => void,
): GroupCommit {
  const connection = orm.em.getConnection() as unknown as KeptStatementsConnection;
  // What opening wrote with NORMAL (migrations, the seed) reaches the disk before any request.
  if (existsSync(`${file}-wal`)) {
    const fd = openSync(`${file}-wal`, 'r');
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const group = new GroupCommit(`${file}-wal`, () => connection.commits, { onFailure });
  useGroupCommit(orm.em as Em, group);
  return group;
}
