// A figureChanged event applied to data already shown: the node's progress set in place.

/**
 * The data with the progress of the node `id` (anywhere in it) set to `after`'s figures; the same
 * object where nothing matched, new objects along the path where something did.
 */
export function patchFigure(data, id, after) {
  if (Array.isArray(data)) {
    let changed = false;
    const out = data.map((d) => {
      const next = patchFigure(d, id, after);
      changed ||= next !== d;
      return next;
    });
    return changed ? out : data;
  }
  if (data === null || typeof data !== 'object') return data;
  let out = data;
  if (data.id === id && data.progress) {
    const progress = { ...data.progress };
    for (const field of ['percent', 'credit', 'counted', 'total'])
      if (field in progress) progress[field] = after[field];
    out = { ...data, progress };
  }
  for (const [k, v] of Object.entries(data)) {
    if (k === 'progress' || v === null || typeof v !== 'object') continue;
    const next = patchFigure(v, id, after);
    if (next !== v) out = out === data ? { ...data, [k]: next } : Object.assign(out, { [k]: next });
  }
  return out;
}
