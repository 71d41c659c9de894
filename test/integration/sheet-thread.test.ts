import { describe, expect, it } from 'vitest';
import { SheetError, SheetThreadError } from '../../src/sheets/sheet-error.js';
import { planOffThread } from '../../src/sheets/sheet-planner.js';
import { SheetThread } from '../../src/sheets/sheet-thread.js';
import { writeOffThread } from '../../src/sheets/sheet-writer.js';

/**
 * The sheet thread's deadline and memory cap, on real worker threads running a stand-in for the
 * sheet worker (test/fixtures/sheet-worker-stub.mjs): a file that never finishes reading, or
 * that needs more memory than the cap, must not hold the thread, and every later upload, for
 * good. (The real worker is ended the same way by a real server: test/e2e/import-deadline.)
 */
const STUB = new URL('../fixtures/sheet-worker-stub.mjs', import.meta.url);
/** A thread on the stand-in, which takes `loadingMs` to load (a worker copies the environment). */
function stubThread(loadingMs = 0, heapMb?: number, loadTimeoutMs?: number): SheetThread {
  process.env.SHEET_STUB_LOADING_MS = String(loadingMs);
  try {
    return new SheetThread({ entry: STUB, heapMb, loadTimeoutMs });
  } finally {
    delete process.env.SHEET_STUB_LOADING_MS;
  }
}
const bytes = new Uint8Array([1]);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => err,
  );

describe('the sheet thread', () => {
  it('ends a read past its deadline: that file is refused, the one queued behind is told to retry', async () => {
    const thread = stubThread();
    const started = Date.now();
    const stuck = failure(planOffThread({ timeoutMs: 300 }, thread).read(bytes, 'hang'));
    const behind = failure(planOffThread({ timeoutMs: 300 }, thread).read(bytes, 'fine.csv'));
    const [first, second] = await Promise.all([stuck, behind]);
    expect(first).toBeInstanceOf(SheetThreadError);
    expect(first).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('0.3 秒') });
    expect(second).toBeInstanceOf(SheetThreadError);
    expect(second).toMatchObject({ code: 'RETRY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Ended: it takes nothing more.
    expect(thread.failed).not.toBeNull();
    await expect(planOffThread({ timeoutMs: 300 }, thread).read(bytes, 'x.csv')).rejects.toThrow(
      SheetThreadError,
    );
  });

  it('ends an export past its deadline the same way, each caller told in its own words', async () => {
    const thread = stubThread();
    const hang = [{ name: 'hang', rows: [['a']] }];
    const stuck = failure(writeOffThread({ timeoutMs: 300 }, thread)(hang, 'xlsx'));
    const upload = failure(planOffThread({ timeoutMs: 300 }, thread).read(bytes, 'fine.csv'));
    const download = failure(writeOffThread({ timeoutMs: 300 }, thread)([], 'csv'));
    const [first, second, third] = await Promise.all([stuck, upload, download]);
    expect(first).toBeInstanceOf(SheetThreadError);
    expect(first).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('生成导出文件超过 0.3 秒'),
    });
    expect(second).toMatchObject({ code: 'RETRY', message: expect.stringContaining('请重新上传') });
    expect(third).toMatchObject({ code: 'RETRY', message: expect.stringContaining('请重新导出') });
    expect(thread.failed).not.toBeNull();
  });

  it('counts the deadline from when the thread is ready, not from its start', async () => {
    // Loading takes longer than the deadline; the read itself is quick.
    // Taken before the thread is made: its loading starts there, and making a worker can take
    // tens of milliseconds on a busy machine.
    const started = Date.now();
    const thread = stubThread(800);
    const planner = planOffThread({ timeoutMs: 300 }, thread);
    await expect(planner.read(bytes, 'fine.csv')).resolves.toEqual({
      format: 'csv',
      encoding: 'utf-8',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(790); // it did take that long to load
    await planner.close();
    expect(thread.failed).toBeNull();
  });

  it('ends a thread that does not load within its loading deadline: every waiting upload is told to retry', async () => {
    // Loading would take a minute; the thread may take 0.5 s.
    // Before the thread is made, as its loading deadline is counted from there.
    const started = Date.now();
    const thread = stubThread(60_000, undefined, 500);
    const waiting = [1, 2].map(() =>
      failure(planOffThread({ timeoutMs: 60_000 }, thread).read(bytes, 'fine.csv')),
    );
    for (const err of await Promise.all(waiting)) {
      expect(err).toBeInstanceOf(SheetThreadError);
      expect(err).toMatchObject({ code: 'RETRY' });
    }
    expect(String(await waiting[0])).toContain('0.5 秒内未能启动');
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(thread.failed).not.toBeNull();
  });

  it('each request has its own deadline: many quick ones add up past it and pass', async () => {
    const thread = stubThread();
    const planner = planOffThread({ timeoutMs: 300 }, thread);
    await planner.read(bytes, 'fine.csv');
    const ended = Date.now() + 700;
    while (Date.now() < ended) await planner.read(bytes, 'fine.csv');
    expect(thread.failed).toBeNull();
    await planner.close();
  });

  it('refuses a file that needs more than its heap as too large, and the process goes on', async () => {
    const thread = stubThread(0, 32);
    const err = await failure(planOffThread({ timeoutMs: 60_000 }, thread).read(bytes, 'oom'));
    expect(err).toBeInstanceOf(SheetError);
    expect(err).toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('32 MB') });
    // A new thread reads the next file.
    const next = stubThread();
    const planner = planOffThread({ timeoutMs: 60_000 }, next);
    await expect(planner.read(bytes, 'fine.csv')).resolves.toMatchObject({ format: 'csv' });
    await planner.close();
  });
});
