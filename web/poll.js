import { useEffect, useState } from 'preact/hooks';

const POLL_MS = 30_000;

/** Runs `load` now, every 30 s and whenever `bump` changes; live events will replace the polling. */
export function usePoll(load, deps) {
  const [state, setState] = useState({ data: null, error: null });
  const [bump, setBump] = useState(0);
  useEffect(() => {
    let live = true;
    const run = () =>
      load().then(
        (data) => live && setState({ data, error: null }),
        (e) => live && setState((s) => ({ ...s, error: e.message })),
      );
    run();
    const timer = setInterval(run, POLL_MS);
    return () => ((live = false), clearInterval(timer));
  }, [...deps, bump]);
  return [state, () => setBump((b) => b + 1)];
}
