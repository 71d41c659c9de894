import type { SheetState } from './sheet-state.js';

/** Full-width and half-width forms as one: ／ and /, － and -, Ｈｉｖｅ and Hive (NFKC). */
const fold = (text: string) => text.normalize('NFKC');

/**
 * Existing paths and item names a file's text differs from only in character width. A Chinese
 * input method writes ／ for / and － for -, and full-width letters: such a path or name would
 * create a second workstream or item beside the one the PM meant, and the preview said only 新建.
 */
export function lookalikes(state: SheetState) {
  const paths = new Map([...state.workstreams.keys()].map((p) => [fold(p), p]));
  const names = new Map(state.items.map((i) => [`${i.workstreamId}\u0000${fold(i.name)}`, i.name]));
  const other = (found: string | undefined, text: string) => (found === text ? undefined : found);
  return {
    /** The existing path a new one differs from only in width, if any. */
    path: (path: string) => other(paths.get(fold(path)), path),
    /** The existing item of a workstream whose name differs from `name` only in width, if any. */
    name: (workstreamId: number, name: string) =>
      other(names.get(`${workstreamId}\u0000${fold(name)}`), name),
  };
}
