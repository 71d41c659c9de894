import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSheet } from '../../src/sheets/write-sheet.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { CREATE_INITIATIVE } from '../helpers/operations.js';
import { createToken, runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

/**
 * An upload's read and plan each have a deadline on the sheet thread (JINDU_SHEET_TIMEOUT_MS):
 * a file that takes longer is refused (503 TIMEOUT) when the deadline passes, nothing is written,
 * an upload waiting behind it is told to retry (test/integration/sheet-thread.test.ts holds that
 * order for certain), and the next upload gets a new thread. A real
 * server with its real sheet worker, on a 0.2 s deadline and the largest file the limits let
 * through (20,000 rows with long notes: its read took 0.67 s on the project machine). Files
 * within the limits read in well under the default 10 s; the deadline is for the file that would
 * not.
 *
 * A download is written on the same thread under the same deadline: the 20,000 rows of that
 * file, imported from the command line, take 0.7 s to write as .xlsx on the project machine.
 */
const DEADLINE_MS = 200;

describe('an upload past the deadline (SQLite)', () => {
  let db: TestDatabase;
  let server: ServerProcess;
  let editor: string;
  let slow: Uint8Array<ArrayBuffer>;

  const upload = async (bytes: Uint8Array<ArrayBuffer>, file: string) => {
    const res = await fetch(`${server.url}/api/import?initiative=slow&file=${file}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}` },
      body: bytes,
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as {
        errors?: { message: string; extensions: { code: string } }[];
        applied?: boolean;
        summary?: { create: number };
      },
    };
  };
  const itemCount = async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` },
      body: JSON.stringify({ query: '{ initiative(key: "slow") { progress { total } } }' }),
    });
    return ((await res.json()) as { data: { initiative: { progress: { total: number } } } }).data
      .initiative.progress.total;
  };

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', true);
    const env = { DATABASE_URL: db.url, JINDU_SEED: 'none', LOG_LEVEL: 'warn' };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    editor = await createToken(env, 'pm', 'editor');
    const admin = await createToken(env, 'lead', 'admin');
    server = await startServer({
      ...env,
      LOG_LEVEL: 'info',
      JINDU_SHEET_TIMEOUT_MS: String(DEADLINE_MS),
    });
    for (const [key, name] of [
      ['slow', '慢'],
      ['wide', '宽'],
    ]) {
      const made = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: CREATE_INITIATIVE, variables: { input: { key, name } } }),
      });
      expect(await made.json()).toMatchObject({
        data: { createInitiative: { initiative: { key }, userErrors: [] } },
      });
    }
    // 20,000 rows (the most a file may have), each with a long note of its own.
    const rows: (string | number)[][] = [['工作流', '事项', '状态', '进度', '备注']];
    for (let i = 0; i < 20_000; i++)
      rows.push([`组${i % 50}`, `事项${i}`, '处理中', 50, `第${i}行的备注`.repeat(30)]);
    slow = new Uint8Array(writeSheet([{ name: 's', rows }], 'xlsx'));
    // The same rows in `wide`, from the command line (which has no deadline), to download.
    const dir = mkdtempSync(join(tmpdir(), 'jindu-deadline-'));
    try {
      writeFileSync(join(dir, 'wide.xlsx'), slow);
      const imported = await runCli(
        ['import', join(dir, 'wide.xlsx'), '--initiative', 'wide'],
        env,
      );
      expect(imported.code, imported.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.drop();
  });

  it('refuses the slow file at the deadline, writes nothing, and reads the next file on a new thread', async () => {
    const quick = new Uint8Array(
      writeSheet(
        [
          {
            name: 's',
            rows: [
              ['工作流', '事项', '状态', '进度'],
              ['组', '事项', '完成', 100],
            ],
          },
        ],
        'csv',
      ),
    );
    // Two slow files, one a moment after the other. The one the thread is reading when the
    // deadline passes (0.2 s after the new thread has loaded SheetJS) is refused TIMEOUT; the
    // other either waited behind it on the thread (RETRY) or came once the thread was ended and
    // timed out on a new one. Either way nothing is written.
    const first = upload(slow, 'slow-1.xlsx');
    await new Promise((r) => setTimeout(r, 50));
    const answers = await Promise.all([first, upload(slow, 'slow-2.xlsx')]);
    const codes = answers.map((a) => a.body.errors?.[0]?.extensions.code);
    expect(codes, JSON.stringify(answers)).toContain('TIMEOUT');
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(['TIMEOUT', 'RETRY']).toContain(answer.body.errors?.[0]?.extensions.code);
      expect(answer.body.errors?.[0]?.message).toContain('未做任何修改');
      if (answer.body.errors?.[0]?.extensions.code === 'RETRY') expect(answer.retryAfter).toBe('1');
    }
    expect(await itemCount()).toBe(0);
    await expect
      .poll(() => server.logs.join(''))
      .toContain('import refused: the sheet thread was ended');

    const next = await upload(quick, 'quick.csv');
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body).toMatchObject({ applied: true, summary: { create: 1 } });
    expect(await itemCount()).toBe(1);
  }, 60_000);

  it('refuses a download whose write passes the deadline, and writes the next on a new thread', async () => {
    const download = (key: string) =>
      fetch(`${server.url}/api/export?initiative=${key}&format=xlsx`, {
        headers: { authorization: `Bearer ${editor}` },
      });
    const late = await download('wide');
    expect(late.status).toBe(503);
    const body = (await late.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.errors[0]).toMatchObject({
      extensions: { code: 'TIMEOUT' },
      message: expect.stringContaining(`生成导出文件超过 ${DEADLINE_MS / 1000} 秒未完成`),
    });
    // The log comes down another pipe than the answer, and may come after it.
    await expect
      .poll(() => server.logs.join(''))
      .toContain('export refused: the sheet thread was ended');
    const next = await download('slow');
    expect(next.status).toBe(200);
    expect(next.headers.get('content-type')).toContain('spreadsheetml');
    expect((await next.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  }, 60_000);
});
