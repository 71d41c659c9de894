import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { nativeSqlite } from '../../src/db/prepared.js';
import { KeptStatementsConnection } from '../../src/db/sqlite-driver.js';
import { sqliteFileOf } from '../../src/db/sqlite-file.js';
import { toGlobalId } from '../../src/domain/global-id.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { SQLITE_BUSY_RETRY_MS } from '../../src/services/transaction.js';
import { SET_ITEM_STATUS } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Another process writing the same SQLite file (`jindu import` beside a server). SQLite's busy
 * wait is synchronous, so the other writer here is a worker thread with its own connection: it
 * takes the write lock, says so, and holds it for `holdMs` before committing a change.
 */
function otherWriter(file: string, holdMs: number): Promise<{ exited: Promise<unknown> }> {
  const worker = new Worker(
    `const Database = require('better-sqlite3');
     const { parentPort, workerData } = require('node:worker_threads');
     const db = new Database(workerData.file);
     db.exec('begin immediate');
     db.exec("update item set note = coalesce(note, '') where id = (select min(id) from item)");
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('commit');
     db.close();`,
    { eval: true, workerData: { file, holdMs } },
  );
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve({ exited }));
    worker.once('error', reject);
  });
}

describe('writes beside another process that writes the same SQLite file', () => {
  let app: TestApp;
  let file: string;
  let itemId: string;
  beforeAll(async () => {
    app = await createTestApp('sqlite', { sqliteFile: true });
    file = sqliteFileOf(app.db.url)!;
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    const native = await nativeSqlite(app.em());
    const id = native
      .prepare("select id from item where name = '交易对账单'")
      .pluck()
      .get() as number;
    itemId = toGlobalId('Item', id);
  });
  afterAll(() => app?.close());

  const write = (percent: number) =>
    app.gql(SET_ITEM_STATUS, { input: { itemId, status: 'IN_PROGRESS', percent } });

  it('tries a write again, without holding the event loop, until the other process commits', async () => {
    // The write reads, then cannot take the lock (SQLITE_BUSY at once: a reader may not wait
    // for it); once it is free the reads are stale (SQLITE_BUSY_SNAPSHOT). The whole
    // transaction is tried again after short pauses, and the loop turns meanwhile.
    const other = await otherWriter(file, 300);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const res = await write(41);
    clearInterval(ticker);
    await other.exited;
    expect(res.errors).toBeUndefined();
    expect(res.data.setItemStatus.item.percent).toBe(41);
    expect(ticks).toBeGreaterThan(3);
  });

  it('answers DATABASE_UNAVAILABLE, not an internal error, when the lock outlasts the retries', async () => {
    const other = await otherWriter(file, SQLITE_BUSY_RETRY_MS + 1_000);
    const res = await write(42);
    await other.exited;
    expect(res.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect((await write(43)).data.setItemStatus.item.percent).toBe(43);
  });

  it('takes the write lock when a transaction begins on a connection set to begin immediately', async () => {
    const connection = app.orm.em.getConnection();
    expect(connection).toBeInstanceOf(KeptStatementsConnection);
    const probe = new Database(file, { timeout: 0 });
    const lockedDuring = async () =>
      app.em().transactional(async (tem) => {
        await tem.execute('select 1');
        try {
          probe.exec('begin immediate');
          probe.exec('rollback');
          return false;
        } catch (err) {
          return (err as { code?: string }).code === 'SQLITE_BUSY';
        }
      });
    try {
      expect(await lockedDuring()).toBe(false);
      (connection as KeptStatementsConnection).beginImmediately = true;
      expect(await lockedDuring()).toBe(true);
    } finally {
      (connection as KeptStatementsConnection).beginImmediately = false;
      probe.close();
    }
  });
});
