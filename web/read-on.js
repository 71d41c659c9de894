import { useEffect, useState } from 'preact/hooks';

/**
 * Runs `load` now and again whenever a dep changes: given the initiative's revision (which the
 * page moves on live, or by polling while not live), a section follows every write as the page
 * does. A failed read keeps the data shown beside its error.
 */
export function useReadOn(load, deps) {
  const [state, setState] = useState({ data: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (e) => live && setState((s) => ({ ...s, error: e.message })),
    );
    return () => (live = false);
  }, deps);
  return state;
}
