/**
 * The columns of an item sheet. Headers may be Chinese or English, in any order; the export
 * writes the Chinese ones. Lookups go through a Map, so a header such as `__proto__` is only a
 * header that matches nothing.
 */
export const FIELDS = [
  'id',
  'path',
  'name',
  'status',
  'percent',
  'weight',
  'note',
  'version',
  'structure',
] as const;
export type Field = (typeof FIELDS)[number];

/** What the export writes, in its order. */
export const EXPORT_HEADERS: Readonly<Record<Field, string>> = {
  id: 'ID',
  path: '工作流',
  name: '事项',
  status: '状态',
  percent: '进度',
  weight: '权重',
  note: '备注',
  version: '版本',
  structure: '结构版本',
};

const ALIASES: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['id', 'id'],
  ['编号', 'id'],
  ['工作流', 'path'],
  ['workstream', 'path'],
  ['path', 'path'],
  ['事项', 'name'],
  ['item', 'name'],
  ['name', 'name'],
  ['状态', 'status'],
  ['status', 'status'],
  ['进度', 'percent'],
  ['percent', 'percent'],
  ['progress', 'percent'],
  ['权重', 'weight'],
  ['weight', 'weight'],
  ['备注', 'note'],
  ['note', 'note'],
  ['notes', 'note'],
  ['版本', 'version'],
  ['version', 'version'],
  ['结构版本', 'structure'],
  ['structure version', 'structure'],
  ['structure', 'structure'],
]);

/** The field a header names (trimmed, case-insensitive, `进度(%)` and `进度%` allowed). */
export function fieldOfHeader(header: string): Field | undefined {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/\s*[(（]?%[)）]?$/, '');
  return ALIASES.get(key);
}

export const REQUIRED_FIELDS: readonly Field[] = ['path', 'name'];
