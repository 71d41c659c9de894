import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { MikroORM } from '@mikro-orm/core';
import type { Em } from './orm.js';
import type { KeptStatementsConnection } from './sqlite-driver.js';

/**
 * SQLite's checkpoints (copying the WAL's pages back into the database file) on a thread of
 * their own. By default the connection that commits checkpoints itself once the WAL holds 1,000
 * pages, inside that `commit`: with better-sqlite3 that is on the event loop, and with
 * `synchronous = NORMAL` a checkpoint syncs the WAL and then the database file. Group commit
 * took the commits' syncs off the loop (group-commit.ts), but every few dozen bulk writes the
 * commit of one still copied ~4 MB and waited for two syncs while the server answered nothing:
 * 10–14 ms of a 100-item write's transaction on the project machine (1.7 ms without), more on a
 * busy disk.
 *
 * So the server's connection is told never to checkpoint (`wal_autocheckpoint = 0`) and a
 * worker thread with its own connection to the file runs a PASSIVE checkpoint every
 * `intervalMs`: it copies what no reader still needs, never waits for a lock, and the writer
 * goes on meanwhile (SQLite's WAL mode is made for a checkpointer beside the writer). Once
 * every frame is back in the database file, the writer's next transaction starts the WAL over.
 *
 * Should the worker fail (it cannot open the file, a checkpoint throws), the connection gets
 * its automatic checkpoints back, so the WAL never grows without end.
 */
export class WalCheckpointer {
  /** Checkpoints that copied pages, and pages copied, so far (GET /metrics). */
  checkpoints = 0;
  pages = 0;
  private readonly worker: Worker;
  private stopped = false;
  private readonly exited: Promise<void>;

  private constructor(
    file: string,
    synchronous: string,
    intervalMs: number,
    private readonly connection: CheckpointedConnection,
    onFailure: (err: Error) => void,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file, synchronous, intervalMs },
    });
    let failed = false;
    const fail = (err: Error) => {
      if (failed || this.stopped) return;
      failed = true;
      this.connection.autoCheckpoint(AUTOMATIC_PAGES);
      void this.worker.terminate();
      onFailure(err);
    };
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'checkpointed') {
        this.checkpoints++;
        this.pages += message.pages;
      } else fail(new WalCheckpointError(file, message.message));
    });
    this.worker.on('error', fail);
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // The worker keeps no process alive (a server that failed to listen exits): after the
    // listeners, since attaching a 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  /**
   * Starts checkpointing `file` beside `connection` (the server's connection to it), which
   * stops checkpointing itself from here on.
   */
  static start(options: {
    readonly file: string;
    readonly synchronous: 'FULL' | 'NORMAL';
    readonly connection: CheckpointedConnection;
    readonly intervalMs?: number;
    readonly onFailure: (err: Error) => void;
  }): WalCheckpointer {
    options.connection.autoCheckpoint(0);
    return new WalCheckpointer(
      options.file,
      options.synchronous,
      options.intervalMs ?? DEFAULT_INTERVAL_MS,
      options.connection,
      options.onFailure,
    );
  }

  /**
   * Stops the worker and closes its connection, before the server's own closes: the last
   * connection to close checkpoints what is left and removes the WAL.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('stop');
    await this.exited;
  }
}

/** The server's connection, told how often to checkpoint itself (0: never). */
export interface CheckpointedConnection {
  autoCheckpoint(pages: number): void;
}

export class WalCheckpointError extends Error {
  override readonly name = 'WalCheckpointError';
  constructor(file: string, message: string) {
    super(
      `checkpoints of ${file} on their own thread failed (${message}); SQLite checkpoints it on commit again`,
    );
  }
}

const checkpointers = new WeakMap<object, WalCheckpointer>();

/** The checkpointer of the database behind `em`, if it has one (GET /metrics counts its work). */
export function walCheckpointerOf(em: Em): WalCheckpointer | undefined {
  return checkpointers.get(em.getDriver());
}

/** Checkpoints of `orm`'s SQLite `file` on their own thread from now on (see WalCheckpointer). */
export function startWalCheckpointer(
  orm: MikroORM,
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  onFailure: (err: Error) => void,
): WalCheckpointer {
  const connection = orm.em.getConnection() as unknown as KeptStatementsConnection;
  const checkpointer = WalCheckpointer.start({ file, synchronous, connection, onFailure });
  checkpointers.set(orm.em.getDriver(), checkpointer);
  return checkpointer;
}

/** SQLite's own default for `wal_autocheckpoint`, given back when the worker fails. */
const AUTOMATIC_PAGES = 1000;
/**
 * How often the worker checkpoints. A checkpoint with nothing to copy reads the WAL's header
 * and returns; under writes a fifth of a second holds a few thousand pages at most.
 */
const DEFAULT_INTERVAL_MS = 200;

type WorkerMessage =
  | { readonly type: 'checkpointed'; readonly pages: number }
  | { readonly type: 'failed'; readonly message: string };

const require = createRequire(import.meta.url);

/**
 * The worker, as source: it runs the same from the compiled server and from the TypeScript the
 * tests load (a worker file would need a loader for the latter). It requires the driver by the
 * path the server resolved, so it does not depend on the working directory.
 */
const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
let timer;
let wal = null;
const stop = () => {
  clearInterval(timer);
  try { db && db.close(); } catch {}
  try { wal !== null && fs.closeSync(wal); } catch {}
  parentPort.close();
};
try {
  db = new Database(workerData.file, { fileMustExist: true });
  // The copy and the syncs that keep a checkpoint safe on a power failure (FULL and NORMAL
  // both sync the WAL before copying and the database file after).
  db.pragma('synchronous = ' + workerData.synchronous);
  db.pragma('wal_autocheckpoint = 0');
  // Which WAL a checkpoint's counts are about: the writer starts the WAL over (a new salt in its
  // header) after a checkpoint that copied it all, and its frames count from 0 again.
  const header = Buffer.alloc(24);
  const salt = () => {
    if (wal === null && fs.existsSync(workerData.file + '-wal')) wal = fs.openSync(workerData.file + '-wal', 'r');
    return wal !== null && fs.readSync(wal, header, 0, 24, 0) === 24 ? header.toString('hex', 12, 24) : '';
  };
  let seen = '';
  let checkpointed = 0;
  timer = setInterval(() => {
    try {
      const before = salt() === seen ? checkpointed : 0;
      // log: frames in the WAL; checkpointed: how many of them are in the database file now.
      const [row] = db.pragma('wal_checkpoint(PASSIVE)');
      if (row.checkpointed > before) {
        parentPort.postMessage({ type: 'checkpointed', pages: row.checkpointed - before });
      }
      seen = salt();
      checkpointed = row.checkpointed;
    } catch (err) {
      parentPort.postMessage({ type: 'failed', message: String(err && err.message || err) });
      stop();
    }
  }, workerData.intervalMs);
} catch (err) {
  parentPort.postMessage({ type: 'failed', message: String(err && err.message || err) });
  stop();
}
parentPort.on('message', (m) => { if (m === 'stop') stop(); });
`;
