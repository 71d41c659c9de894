import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { SheetError } from '../../src/sheets/sheet-error.js';
import { writeSheet } from '../../src/sheets/write-sheet.js';
import { CREATE_INITIATIVE } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The server reads and plans a file on a worker thread (sheet-planner.ts), the command line on
 * its own: both must give the same plan, sent back in parts (1,000 rows each), and the same
 * refusals, in the same order (an initiative that is not there, or not the caller's, is refused
 * before the file is read).
 */
describe('a sheet planned on a worker thread', () => {
  let app: TestApp;
  const run = (bytes: Uint8Array, offThread: boolean, key = 'plan', fileName = 'f.xlsx') =>
    importSheet({
      em: app.em(),
      initiativeKey: key,
      fileName,
      by: null,
      bytes,
      dryRun: true,
      skipErrors: false,
      prune: true,
      scope: ALL_INITIATIVES,
      offThread: offThread ? { timeoutMs: 60_000 } : undefined,
    });
  const sheet = (rows: (string | number)[][]) =>
    writeSheet(
      [{ name: 's', rows: [['工作流', '事项', '状态', '进度', '备注'], ...rows] }],
      'xlsx',
    );

  beforeAll(async () => {
    app = await createTestApp('sqlite');
    await app.ok(CREATE_INITIATIVE, { input: { key: 'plan', name: 'P' } });
    // 2,500 items to update, keep and prune against.
    const first = Array.from({ length: 2_500 }, (_, i) => [`a/w${i % 7}`, `i${i}`, '处理中', 10]);
    const made = await importSheet({
      em: app.em(),
      initiativeKey: 'plan',
      fileName: 'first.xlsx',
      by: null,
      bytes: sheet(first),
      dryRun: false,
      skipErrors: false,
      prune: false,
      scope: ALL_INITIATIVES,
    });
    expect(made.applied).toBe(true);
  });
  afterAll(() => app?.close());

  it('gives the plan the caller’s thread gives: creates, updates, errors, new workstreams, prune', async () => {
    const rows: (string | number)[][] = [];
    for (let i = 0; i < 2_200; i++) rows.push([`a/w${i % 7}`, `i${i}`, '处理中', i % 3 ? 10 : 40]);
    for (let i = 0; i < 300; i++) rows.push([`b/新${i % 3}`, `n${i}`, '完成', 100, `备注${i}`]);
    rows.push(['a/w1', 'bad', '不知道', 5]);
    const bytes = sheet(rows);
    const here = await run(bytes, false);
    const there = await run(bytes, true);
    expect(there).toEqual(here);
    // Beside a wrong row prune is refused, so the plan lists none.
    expect(here.plan.summary).toMatchObject({ create: 300, error: 1, prune: 0 });
    expect(here.plan.summary.update).toBeGreaterThan(0);
    expect(here.plan.rows).toHaveLength(2_501);
    expect(here.plan.newWorkstreams).toEqual(['b', 'b/新0', 'b/新1', 'b/新2']);
    // Without it, the 300 items the file leaves out, the same both ways.
    const clean = sheet(rows.slice(0, -1));
    const pruneHere = await run(clean, false);
    expect(await run(clean, true)).toEqual(pruneHere);
    expect(pruneHere.plan.summary).toMatchObject({ create: 300, error: 0, prune: 300 });
  });

  it('refuses what the caller’s thread refuses, as the same errors', async () => {
    const refusal = async (offThread: boolean, bytes: Uint8Array, key?: string, name?: string) => {
      const err = await run(bytes, offThread, key, name).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      const { name: kind, code, message } = err as SheetError | DomainError;
      return {
        kind,
        code,
        message,
        sheet: err instanceof SheetError,
        domain: err instanceof DomainError,
      };
    };
    const cases: [Uint8Array, string | undefined, string | undefined][] = [
      [new TextEncoder().encode('a,b\n1,2\n'), undefined, 'f.csv'],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), undefined, 'f.xlsx'],
      [sheet([['a', 'x', '完成', 100]]), 'nope', undefined],
      // Unreadable and unknown: the initiative is refused first, both ways (a file for an
      // initiative the caller may not write is not read at all).
      [new Uint8Array(0), 'nope', undefined],
    ];
    for (const [bytes, key, name] of cases) {
      const here = await refusal(false, bytes, key, name);
      expect(await refusal(true, bytes, key, name)).toEqual(here);
    }
    expect((await refusal(true, cases[0]![0], undefined, 'f.csv')).code).toBe('BAD_HEADERS');
    expect(await refusal(true, cases[2]![0], 'nope')).toMatchObject({
      code: 'NOT_FOUND',
      domain: true,
    });
    expect(await refusal(true, cases[3]![0], 'nope')).toMatchObject({
      code: 'NOT_FOUND',
      domain: true,
    });
    // Known and unreadable: the file's own refusal.
    expect(await refusal(true, cases[3]![0], undefined)).toMatchObject({
      code: 'EMPTY',
      sheet: true,
    });
  });
});
