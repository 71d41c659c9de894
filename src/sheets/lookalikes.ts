import { PATH_SEPARATOR, pathsAbove, type SheetState } from './sheet-state.js';

/** Full-width and half-width forms as one: ／ and /, － and -, Ｈｉｖｅ and Hive (NFKC). */
const fold = (text: string) => text.normalize('NFKC');

/**
 * Existing paths and item names a file's text differs from only in character width. A Chinese
 * input method writes ／ for / and － for -, and full-width letters: such a path or name would
 * create a second workstream or item beside the one the PM meant, and the preview said only 新建.
 */
export function lookalikes(state: SheetState) {
  // Folded, a full-width ／ is the separator: a path's parts line up with the existing ones'.
  const paths = new Map([...state.workstreams.keys()].map((p) => [fold(p), p]));
  const names = new Map(state.items.map((i) => [`${i.workstreamId}\u0000${fold(i.name)}`, i.name]));
  return {
    /**
     * The existing path a new one differs from only in width, if any: the whole path, or the
     * longest existing path it would lie under once folded (迁移／新组: ／ made one new name
     * of what was meant as 新组 under 迁移).
     */
    path: (path: string) => {
      const folded = fold(path);
      const existing = [...pathsAbove(folded), folded]
        .reverse()
        .map((p) => paths.get(p))
        .find((p) => p !== undefined);
      const under =
        existing === undefined || path === existing || path.startsWith(existing + PATH_SEPARATOR);
      return under ? undefined : existing;
    },
    /** The existing item of a workstream whose name differs from `name` only in width, if any. */
    name: (workstreamId: number, name: string) => {
      const existing = names.get(`${workstreamId}\u0000${fold(name)}`);
      return existing === name ? undefined : existing;
    },
  };
}
