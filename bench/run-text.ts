import { cpus, loadavg, totalmem } from 'node:os';
import type { openLoopRow } from './measuring.js';
import { spread, STEADY, table, unsteadyEntry, type Figure } from './summary.js';

/** The machine a run was made on, as the table's last line and the JSON results say it. */
export const machineLine = (pinned: boolean): string =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${pinned ? 'server on core 0, load on core 1' : 'not pinned'}`;

/**
 * What `npm run bench` prints: the table of rows, the open loops, how the run was made, and
 * S9: the rows this run could not bring within 10%, and what the machine was doing.
 */
export function runText(
  list: readonly Figure[],
  openLoop: readonly ReturnType<typeof openLoopRow>[],
  o: { runs: number; seconds: number; pairs: number; machine: string },
): string {
  const maxSpread = Math.max(...list.map((f) => spread(f.runs)));
  const unsteady = list.filter((f) => o.runs > 1 && spread(f.runs) > STEADY);
  const load = loadavg().map((x) => x.toFixed(2));
  return [
    table(list),
    '',
    '| open loop, half of measured capacity | p50 | p99 | slowest | longest block | longest GC pause | GC pauses in all | loop waited for its core | requests |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...openLoop.map(
      (l) =>
        `| ${l.what} | ${l.p50.toFixed(1)} ms | ${l.p99.toFixed(1)} ms | ${l.max.toFixed(1)} ms | ${l.blockMs.toFixed(1)} ms | ${l.longestPauseMs.toFixed(1)} ms | ${l.pausesMs.toFixed(0)} ms | ${l.coreWaitMs.toFixed(0)} ms | ${l.requests} |`,
    ),
    '',
    `${o.runs} runs of ${o.seconds} s per load (interleaved ratios: ${o.pairs} pairs of ${(o.seconds / o.pairs).toFixed(1)} s); largest spread ${(maxSpread * 100).toFixed(1)}%; every body checked.`,
    o.runs < 2
      ? 'S9: one run, no spread measured.'
      : unsteady.length === 0
        ? `S9: every row within 10% over ${o.runs} runs.`
        : `S9: not stabilized within 10%: ${unsteady.map(unsteadyEntry).join('; ')}. Load average at the end ${load.join(' ')} on ${cpus().length} cores: ${
            Number(load[0]) > cpus().length - 0.5
              ? 'other processes shared the servers’ core, so each figure moved with their work'
              : 'the machine was quiet; these rows vary of themselves (collection pauses, short loads): rerun with more --seconds'
          }.`,
    o.machine,
  ].join('\n');
}
