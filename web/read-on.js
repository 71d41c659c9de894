import { useEffect, useState } from 'preact/hooks';
import { userErrorText } from './i18n.js';

/** After a failed read: tried again after 2, 4, 8, then every 15 s (this and the live pages). */
const RETRY_MS = [2_000, 4_000, 8_000, 15_000];
export const retryDelay = (failures) => RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];

/**
 * Runs `load` now and again whenever a dep changes: given the initiative's revision (which the
 * page moves on live, or by polling while not live), a section follows every write as the page
 * does. A failed read keeps the data shown beside its error, and is tried again.
 */
export function useReadOn(load, deps) {
  const [state, setState] = useState({ data: null, error: null });
  useEffect(() => {
    let live = true;
    let retry;
    let failures = 0;
    const run = () =>
      load().then(
        (data) => live && setState({ data, error: null }),
        (e) => {
          if (!live) return;
          setState((s) => ({ ...s, error: userErrorText(e) }));
          retry = setTimeout(run, retryDelay(failures++));
        },
      );
    run();
    return () => ((live = false), clearTimeout(retry));
  }, deps);
  return state;
}
