import { PATH_SEPARATOR, type SheetState } from './sheet-state.js';

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
  // Existing paths folded: a full-width ／ folds to the separator, so the parts line up.
  return {
    /**
     * The existing path a new one differs from only in width, if any: the whole path, or the
     * longest existing path it would lie under once folded (迁移／新组: ／ made one new name
     * of what was meant as 新组 under 迁移).
     */
    path: (path: string) => {
      const parts = fold(path).split(PATH_SEPARATOR);
      for (let n = parts.length; n >= 1; n--) {
        const existing = paths.get(parts.slice(0, n).join(PATH_SEPARATOR));
        if (existing === undefined) continue;
        const under = path === existing || path.startsWith(existing + PATH_SEPARATOR);
        return under ? undefined : existing;
      }
      return undefined;
    },
    /** The existing item of a workstream whose name differs from `name` only in width, if any. */
    name: (workstreamId: number, name: string) =>
      other(names.get(`${workstreamId}\u0000${fold(name)}`), name),
  };
}
