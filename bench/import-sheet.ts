import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openOrm } from '../src/db/orm.js';
import { type Em } from '../src/db/em.js';
import { createInitiative } from '../src/services/create-initiative.js';
import { exportSheet } from '../src/services/export-sheet.js';
import { importSheet } from '../src/services/import-sheet.js';
import { updateWorkstream } from '../src/services/update-workstream.js';
import { runWrite } from '../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../src/services/write-pipeline/write-context.js';
import { ALL_INITIATIVES } from '../src/services/write-scope.js';
import { writeSheet } from '../src/sheets/write-sheet.js';

/**
 * Times an upload of N rows as the server runs it (the file read and planned on the sheet
 * thread), new items in `workstreams` new leaf workstreams, then the same file again, which must
 * change nothing, on a fresh in-memory SQLite database, and the longest the event loop was held
 * meanwhile (what S6 bounds at 50 ms for bulk writes), then a download of those items as the
 * server writes it (.xlsx, on the sheet thread), and that download imported again after the
 * workstreams' parent was renamed (every path read at the file's structure version). Not a quality-bar row: figures to watch, and a
 * check that an import of that size runs in one go.
 */
export async function benchImport(rows: number, workstreams = 100): Promise<string> {
  const orm = await openOrm({ databaseUrl: 'sqlite::memory:' });
  try {
    await orm.schema.create();
    await runWrite(operatorContext(orm.em.fork() as Em, 'bench'), createInitiative, {
      key: 'bench',
      name: 'Bench',
    });
    const table = [['工作流', '事项', '状态', '进度']] as (string | number)[][];
    const statuses = ['未启动', '处理中', '完成', '暂停'];
    for (let i = 0; i < rows; i++)
      table.push([
        `导入/组${i % workstreams}`,
        `事项${i}`,
        statuses[i % 4]!,
        i % 4 === 1 ? 50 : i % 4 === 2 ? 100 : i % 4 === 3 ? 20 : 0,
      ]);
    const bytes = writeSheet([{ name: 's', rows: table }], 'xlsx');
    /** `work`'s time and the longest the event loop was held meanwhile. */
    const watched = async <T>(work: () => Promise<T>) => {
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const t0 = performance.now();
      const value = await work();
      const ms = performance.now() - t0;
      // A turn first: the work's last synchronous piece shows as a delay only once a timer of
      // the monitor's runs after it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      loop.disable();
      return { ms, held: loop.max / 1e6, value };
    };
    const once = async (file: Uint8Array = bytes) => {
      const {
        ms,
        held,
        value: r,
      } = await watched(() =>
        importSheet({
          em: orm.em.fork() as Em,
          initiativeKey: 'bench',
          scope: ALL_INITIATIVES,
          fileName: 'bench.xlsx',
          by: null,
          bytes: file,
          dryRun: false,
          skipErrors: false,
          prune: false,
          offThread: { timeoutMs: 600_000 }, // the bench measures; the server's deadline is not its subject
        }),
      );
      return { ms, held, summary: r.plan.summary };
    };
    const first = await once();
    if (first.summary.create !== rows)
      throw new Error(`import created ${first.summary.create} of ${rows}`);
    const again = await once();
    if (again.summary.unchanged !== rows)
      throw new Error(`re-import left ${again.summary.unchanged} of ${rows} unchanged`);
    const took = (r: { ms: number; held: number }) =>
      `${r.ms.toFixed(0)} ms, event loop held at most ${r.held.toFixed(0)} ms`;
    const download = await watched(() =>
      exportSheet({
        em: orm.em.fork() as Em,
        initiativeKey: 'bench',
        format: 'xlsx',
        canRead: () => true,
        offThread: { timeoutMs: 600_000 },
      }),
    );
    // The download sent back after its workstreams' parent was renamed: every row's path is
    // old, and read at the file's structure version each names its workstream as it is now.
    const [parent] = await (orm.em.fork() as Em).execute(
      "select id from workstream where name = '导入'",
    );
    await runWrite(operatorContext(orm.em.fork() as Em, 'bench'), updateWorkstream, {
      id: Number(parent!.id),
      name: '导入（改名）',
    });
    const stale = await once(download.value.bytes);
    if (stale.summary.unchanged !== rows || stale.summary.newWorkstreams !== 0)
      throw new Error(`the old export after a rename: ${JSON.stringify(stale.summary)}`);
    return `import of ${rows} rows in ${workstreams} new workstreams (.xlsx, ${(bytes.length / 1024).toFixed(0)} kB): ${took(first)}; re-import (all unchanged): ${took(again)}; export (.xlsx, ${(download.value.bytes.length / 1024).toFixed(0)} kB): ${took(download)}; that export imported after its paths' parent was renamed (all unchanged): ${took(stale)}`;
  } finally {
    await orm.close();
  }
}
