import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from '../../src/db/wal-checkpointer.js';

const PAGE = 4096;

/** The server's connection as the checkpointer sees it: a WAL file it commits to. */
function serverConnection(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (id integer primary key, body blob not null)');
  const insert = db.prepare('insert into t (body) values (?)');
  return {
    db,
    autoCheckpoint: (pages: number) => db.pragma(`wal_autocheckpoint = ${pages}`),
    autoPages: () => Number(db.pragma('wal_autocheckpoint', { simple: true })),
    /** One transaction of about `pages` pages. */
    write: (pages: number) =>
      db.transaction(() => {
        for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(PAGE - 200, i % 251));
      })(),
  };
}

const until = async (done: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('WAL checkpoints on their own thread (real SQLite file)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-ckpt-'));
    file = join(dir, 'db.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the connection stops checkpointing, the thread copies the WAL back, and the WAL starts over', async () => {
    const conn = serverConnection(file);
    const failures: Error[] = [];
    const checkpointer = WalCheckpointer.start({
      file,
      synchronous: 'NORMAL',
      connection: conn,
      intervalMs: 20,
      onFailure: (err) => failures.push(err),
    });
    expect(conn.autoPages()).toBe(0);
    // 40 rounds of ~100 pages: 4,000 pages, four times SQLite's own checkpoint threshold. Left
    // alone with wal_autocheckpoint = 0 the WAL would hold them all (~16 MB).
    for (let round = 0; round < 40; round++) {
      conn.write(100);
      const copied = checkpointer.pages;
      await until(() => checkpointer.pages > copied);
    }
    expect(failures).toEqual([]);
    expect(checkpointer.checkpoints).toBeGreaterThanOrEqual(40);
    expect(checkpointer.pages).toBeGreaterThanOrEqual(40 * 100);
    // The writer restarted the WAL after each full checkpoint: it never grew past a few rounds.
    expect(statSync(`${file}-wal`).size).toBeLessThan(4 * 110 * PAGE);
    // Everything written is in the database file itself once the last copy is done.
    const [row] = conn.db.pragma('wal_checkpoint(PASSIVE)') as {
      log: number;
      checkpointed: number;
    }[];
    expect(row!.checkpointed).toBe(row!.log);
    await checkpointer.stop();
    conn.db.close(); // the last connection: SQLite removes the WAL
    expect(existsSync(`${file}-wal`)).toBe(false);
    const again = new Database(file, { readonly: true });
    expect(again.prepare('select count(*) as n from t').get()).toEqual({ n: 4000 });
    again.close();
  });

  it('gives the connection its own checkpoints back when the thread cannot open the file', async () => {
    const conn = serverConnection(file);
    const failures: Error[] = [];
    const checkpointer = WalCheckpointer.start({
      file: join(dir, 'missing.sqlite'),
      synchronous: 'NORMAL',
      connection: conn,
      intervalMs: 20,
      onFailure: (err) => failures.push(err),
    });
    await until(() => failures.length > 0);
    expect(failures[0]!.message).toMatch(/missing\.sqlite.*SQLite checkpoints it on commit again/);
    expect(conn.autoPages()).toBe(1000);
    await checkpointer.stop();
    conn.db.close();
  });
});
