// Edits typed in a row and not yet applied, kept in the tab (sessionStorage, as the token) so
// that a reload does not lose them: the page reloads itself when it drops a revoked token and
// when the language is switched, and a user may press F5. A row that mounts again (after a
// reload, or its leaf closed and opened) shows its draft, with the version it began from, so
// applying it is still refused as stale if a colleague changed the item meanwhile.
const KEY = 'jindu.drafts';

function read() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) ?? '{}');
    return kept && typeof kept === 'object' ? kept : {};
  } catch {
    return {};
  }
}

let kept = read();
const write = () =>
  Object.keys(kept).length === 0
    ? sessionStorage.removeItem(KEY)
    : sessionStorage.setItem(KEY, JSON.stringify(kept));

export const drafts = {
  /** `{ status, percent, from: { status, percent, version } }`, or undefined. */
  get: (itemId) => kept[itemId],
  keep(itemId, draft) {
    if (JSON.stringify(kept[itemId]) === JSON.stringify(draft)) return;
    kept = { ...kept, [itemId]: draft };
    write();
  },
  drop(itemId) {
    if (!(itemId in kept)) return;
    kept = Object.fromEntries(Object.entries(kept).filter(([id]) => id !== String(itemId)));
    write();
  },
  count: () => Object.keys(kept).length,
};
