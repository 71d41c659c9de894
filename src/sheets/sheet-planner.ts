import { itemIdOfRef } from './item-ref.js';
import { planImport } from './plan-import.js';
import type { ImportPlan, PlannedRow } from './import-plan.js';
import type { ReadSheet, SheetInfo } from './read-sheet.js';
import type { SheetItem, SheetState } from './sheet-state.js';
import { jobOn, sharedThread, type OffThreadOptions, type SheetThread } from './sheet-thread.js';
import type { PlanList } from './sheet-worker.js';

/** Rows (or items to prune) the thread sends back at a time. */
const PART = 1000;
/**
 * The initiative's items sent to the thread at a time: copying a message holds the loop (5,000
 * items took 13 ms, 100,000 at once 90 ms).
 */
const ITEMS_PART = 2000;

/**
 * Reads one file, then plans it against the initiative's state: the two steps of an import that
 * are one long synchronous computation each (SheetJS's parse of a 10,000-row .xlsx takes about
 * 0.4 s, the plan about 0.1 s). The state is loaded between them, so a file that cannot be read
 * is refused before the initiative is looked up.
 */
export interface SheetPlanner {
  read(bytes: Uint8Array, fileName: string): Promise<SheetInfo>;
  plan(state: SheetState, prune: boolean): Promise<ImportPlan>;
  close(): Promise<void>;
}

/** On the caller's thread: the command line, which serves nothing else meanwhile. */
export function planInThread(): SheetPlanner {
  let sheet: ReadSheet | null = null;
  return {
    async read(bytes, fileName) {
      // SheetJS (1 MB) is loaded by the commands that read a file, not by every start.
      const { readSheet, sheetInfo } = await import('./read-sheet.js');
      sheet = readSheet(bytes, fileName);
      return sheetInfo(sheet);
    },
    async plan(state, prune) {
      if (!sheet) throw new Error('plan before read');
      return planImport(sheet, state, { prune, itemIdOf: itemIdOfRef });
    },
    async close() {},
  };
}

/**
 * On the sheet thread: the server's event loop goes on answering other requests (and health
 * checks) while a big file is parsed and planned.
 */
export function planOffThread(
  options: OffThreadOptions,
  on: SheetThread = sharedThread(),
): SheetPlanner {
  const { ask, end } = jobOn(on, options.timeoutMs);
  return {
    async read(bytes, fileName) {
      return (await ask({ kind: 'read', bytes, fileName }, 'read')).info;
    },
    async plan(state, prune) {
      for (let from = 0; from < state.items.length; from += ITEMS_PART)
        await ask({ kind: 'items', part: state.items.slice(from, from + ITEMS_PART) }, 'items');
      const { newWorkstreams, summary, lengths } = (
        await ask({ kind: 'plan', state: { ...state, items: [] }, prune }, 'plan')
      ).head;
      // The long lists come a part at a time, each in a turn of the event loop of its own: a
      // 10,000-row plan read back in one message held the loop for 35–60 ms.
      const list = async <T>(name: PlanList): Promise<T[]> => {
        const all: T[] = [];
        for (let from = 0; from < lengths[name]; from += PART) {
          const { part } = await ask({ kind: 'part', list: name, from, to: from + PART }, 'part');
          all.push(...(part as T[]));
        }
        return all;
      };
      const rows = await list<PlannedRow>('rows');
      const pruned = await list<SheetItem>('prune');
      return {
        rows,
        prune: pruned,
        newWorkstreams,
        summary,
        structureVersion: state.structure.version,
      };
    },
    async close() {
      end();
    },
  };
}
