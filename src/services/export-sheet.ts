import { inReadSnapshot } from '../db/read-snapshot.js';
import { DomainError } from '../domain/errors.js';
import { formatRatioPercent } from '../domain/format-number.js';
import { ITEM_STATUSES, statusLabel } from '../domain/item-status.js';
import type { Em } from '../db/em.js';
import { findInitiativeByKey } from '../db/queries/initiative.queries.js';
import { findStructureVersion } from '../db/queries/structure-version.queries.js';
import { EXPORT_HEADERS, FIELDS } from '../sheets/columns.js';
import { itemRef } from '../sheets/item-ref.js';
import type { OffThreadOptions } from '../sheets/sheet-thread.js';
import { writeInThread, writeOffThread } from '../sheets/sheet-writer.js';
import type { CsvEncoding, SheetFormat, Table } from '../sheets/write-sheet.js';
import type { ReadTime } from '../domain/replay-items.js';
import type { InitiativeRecord } from '../db/records.js';
import { itemsWithVersionsAsOf } from './as-of-items.js';
import { loadAsOfTree } from './as-of-tree.js';
import { loadInitiativeTree } from './load-initiative-tree.js';
import { loadAllItems, namedPaths } from './load-sheet-state.js';

export interface ExportSheetProps {
  readonly em: Em;
  readonly initiativeKey: string;
  readonly format: SheetFormat;
  readonly encoding?: CsvEncoding;
  /** Whether the caller may read this initiative. */
  readonly canRead: (initiativeId: number) => boolean;
  /** The items and figures as they stood then (as known at knownAt); absent: live. */
  readonly at?: ReadTime | null;
  /** Written on the sheet thread (a server), each step within its deadline; absent: here. */
  readonly offThread?: OffThreadOptions;
}

/**
 * The tree and its items, live or replayed from the change log at a read time; and the
 * structure version its paths are of (null for a read time: a past moment is not a version).
 */
async function treeAndItems(em: Em, initiative: InitiativeRecord, at: ReadTime | null) {
  const tree = at
    ? await loadAsOfTree(em, initiative, at)
    : await loadInitiativeTree(em, initiative);
  const paths = namedPaths(tree.roots);
  const ids = [...paths.keys()];
  const items = at
    ? await itemsWithVersionsAsOf(em, ids, at)
    : await loadAllItems(em, { initiativeId: initiative.id });
  const structure = at ? null : await findStructureVersion(em, initiative.id);
  return { tree, paths, items, structure };
}

/**
 * One row per live item with the columns an import reads (so export then import is a no-op),
 * and for .xlsx a second sheet with every workstream's figures. Every row carries the structure
 * version its path is of (structure-version.ts). With `at`, the items (place, status, percent,
 * weight, version, name and note) and the figures as they stood then, with no structure version.
 */
export async function exportSheet(
  props: ExportSheetProps,
): Promise<{ bytes: Buffer; fileName: string }> {
  // One snapshot: the item rows (read in pages) and the figures of the summary sheet are of one
  // state, whatever is written meanwhile (src/db/read-snapshot.ts).
  const { initiative, tree, paths, items, structure } = await inReadSnapshot(
    props.em,
    async (em) => {
      const initiative = await findInitiativeByKey(em, props.initiativeKey);
      if (!initiative || !props.canRead(initiative.id))
        throw new DomainError('NOT_FOUND', `项目不存在：${props.initiativeKey}`, ['initiative']);
      return { initiative, ...(await treeAndItems(em, initiative, props.at ?? null)) };
    },
  );
  const order = new Map([...paths.keys()].map((id, i) => [id, i]));
  items.sort((a, b) => order.get(a.workstreamId)! - order.get(b.workstreamId)! || a.id - b.id);
  const label = (s: (typeof ITEM_STATUSES)[number]) =>
    statusLabel(s, 'zh-CN', tree.initiative.statusLabels);
  const itemRows: Table = {
    name: '事项',
    rows: [
      FIELDS.map((f) => EXPORT_HEADERS[f]),
      ...items.map((i) => [
        itemRef(i.id),
        paths.get(i.workstreamId)!,
        i.name,
        label(i.status),
        i.percent,
        i.weight,
        i.note ?? '',
        i.version,
        structure ?? '',
      ]),
    ],
  };
  // A percent as the report rounds it, written as a number (a spreadsheet sums and sorts it);
  // empty where nothing counts.
  const percent = (credit: number, counted: number) => {
    const text = formatRatioPercent(credit, counted);
    return text === null ? '' : Number(text);
  };
  const summary: Table = {
    name: '汇总',
    rows: [
      ['工作流', '阶段', '进度%', '总计', ...ITEM_STATUSES.map(label)],
      [
        '（全部）',
        tree.initiative.phase ?? '',
        percent(tree.rollup.root.credit, tree.rollup.root.counted),
        tree.rollup.root.total,
        ...ITEM_STATUSES.map((s) => tree.rollup.root.tally[s].items),
      ],
      ...[...paths].map(([id, path]) => {
        const f = tree.rollup.figures.get(id)!;
        const node = tree.nodes.get(id)!;
        return [
          path,
          node.phase ?? '',
          percent(f.credit, f.counted),
          f.total,
          ...ITEM_STATUSES.map((s) => f.tally[s].items),
        ];
      }),
    ],
  };
  const write = props.offThread ? writeOffThread(props.offThread) : writeInThread;
  const bytes = await write(
    props.format === 'xlsx' ? [itemRows, summary] : [itemRows],
    props.format,
    props.encoding,
  );
  return { bytes, fileName: `${initiative.key}.${props.format}` };
}
