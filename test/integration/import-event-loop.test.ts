import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSheet } from '../../src/sheets/write-sheet.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import { pollLivez } from '../helpers/livez-poller.js';
import { CREATE_INITIATIVE } from '../helpers/operations.js';

/**
 * A big upload does not hold the server (S6's "no event-loop block over 50 ms during bulk
 * updates", for the bulkiest update there is). The file is read and planned on a worker thread,
 * and the write lets the event loop turn between its steps. Before, a 10,000-row .xlsx held a
 * server's loop for 1.4–3 s: /livez went unanswered that long. The bound here is loose (a busy
 * machine delays turns too: with the test suite and a benchmark sharing 2 cores, one poll
 * waited 543 ms); what it catches is a loop held for the whole import.
 *
 * The turns happen inside the import's transaction. Other requests' statements wait for its end,
 * so a reader sees the initiative before the import or after it, never half of it.
 */
const ROWS = 10_000;
const LIVEZ_BOUND_MS = 1_000;

describe('a 10,000-row upload (SQLite)', () => {
  let app: HttpTestApp;
  let editor: string;
  let file: Uint8Array<ArrayBuffer>;

  beforeAll(async () => {
    app = await startHttpApp('sqlite');
    await app.post(CREATE_INITIATIVE, { input: { key: 'big', name: '大' } });
    editor = await app.token('pm', 'editor', 'big');
    const table: (string | number)[][] = [['工作流', '事项', '状态', '进度']];
    const statuses = ['未启动', '处理中', '完成', '暂停'];
    for (let i = 0; i < ROWS; i++)
      table.push([`导入/组${i % 100}`, `事项${i}`, statuses[i % 4]!, [0, 50, 100, 0][i % 4]!]);
    file = new Uint8Array(writeSheet([{ name: 's', rows: table }], 'xlsx'));
  }, 60_000);
  afterAll(() => app?.close());

  const totalNow = async (): Promise<number> => {
    const res = await app.post('{ initiative(key: "big") { progress { total } } }');
    return res.body.data.initiative.progress.total;
  };

  it('leaves /livez answered, and readers see all of it or none of it', async () => {
    const livez = pollLivez(app.url, 10);
    const upload = fetch(`${app.url}/api/import?initiative=big&file=big.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}` },
      body: file,
    }).then(async (res) => ({ status: res.status, text: await res.text() }));
    let done = false;
    void upload.finally(() => (done = true));
    const totals: number[] = [];
    while (!done) {
      totals.push(await totalNow());
      await new Promise((r) => setTimeout(r, 20));
    }
    const polled = await livez.stop();
    const { status, text } = await upload;
    expect(status, text.slice(0, 300)).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ applied: true, summary: { create: ROWS } });
    totals.push(await totalNow());

    expect(polled.failure).toBeNull();
    expect(polled.slowestMs).toBeLessThan(LIVEZ_BOUND_MS);
    expect(polled.count).toBeGreaterThan(10);
    expect(totals.length).toBeGreaterThan(2);
    expect(
      totals.every((t) => t === 0 || t === ROWS),
      totals.join(' '),
    ).toBe(true);
    expect(totals.at(-1)).toBe(ROWS);
  }, 120_000);
});

describe('a database closed while an upload writes (SQLite)', () => {
  let app: HttpTestApp;

  beforeAll(async () => {
    app = await startHttpApp('sqlite');
    await app.post(CREATE_INITIATIVE, { input: { key: 'cut', name: '断' } });
  }, 60_000);
  afterAll(() => app?.close().catch(() => undefined));

  // The write turns the event loop, so a stopping server could close the connection in the
  // middle of it; MikroORM opens it again on the next statement, where the rest of the write
  // committed statement by statement while its beginning rolled back. It must fail whole.
  it('keeps nothing of the write', async () => {
    const editor = await app.token('pm2', 'editor', 'cut');
    const table = (note: boolean) => [
      ['工作流', '事项', '状态', '进度', ...(note ? ['备注'] : [])],
      ...Array.from({ length: 3_000 }, (_, i) => [
        `组${i % 30}`,
        `事项${i}`,
        '完成',
        100,
        ...(note ? [`备注${i}`] : []),
      ]),
    ];
    const upload = (note: boolean) =>
      fetch(`${app.url}/api/import?initiative=cut&file=c.xlsx`, {
        method: 'POST',
        headers: { authorization: `Bearer ${editor}` },
        body: new Uint8Array(writeSheet([{ name: 's', rows: table(note) }], 'xlsx')),
      }).then(async (res) => ({ status: res.status, text: await res.text() }));
    expect((await upload(false)).status).toBe(200);

    const native = (app.orm.em.getConnection() as any).native as { inTransaction: boolean };
    const notes = upload(true);
    while (!native.inTransaction) await new Promise((r) => setTimeout(r, 1));
    await app.orm.close();
    const answer = await notes;
    expect(answer.status).not.toBe(200);
    const file = new Database(app.db.url.slice('sqlite:'.length), { readonly: true });
    try {
      expect(file.prepare('select count(*) as n, count(note) as notes from item').get()).toEqual({
        n: 3_000,
        notes: 0,
      });
    } finally {
      file.close();
    }
  }, 120_000);
});
