import { aloneOptions } from './alone-cli.js';
import { BENCH_SIZES, SMOKE_SIZES, type Size } from './synthetic-data.js';

export const HELP = `npm run bench [-- options]

Measures Jindu against the quality bar's speed rows (S1–S6, S8, S10, then S11, S12 and,
on PostgreSQL, S7 and S13) on synthetic initiatives: the servers run pinned to core 0, this load generator to core 1;
every answer is checked. S3 is a ratio to a bare graphql-jit floor measured in the same run.

  --smoke        tiny sizes and short runs (a few minutes): keeps the bench working in CI
  --runs N       runs of each scenario (default 3)
  --seconds S    measuring time of each load (default 3; 0.4 with --smoke)
  --out FILE     where to write the JSON results (default bench/results/latest.json,
                 bench/results/smoke.json with --smoke)
  --keep         keep the generated databases and server logs (a failed run keeps them)
  -h, --help     this text`;

export interface BenchOptions {
  readonly smoke: boolean;
  readonly runs: number;
  /** Measuring time of each load. */
  readonly seconds: number;
  /** A later warm-up of a load already warmed on its process lasts a quarter of this. */
  readonly warmUpSeconds: number;
  readonly out: string;
  readonly keep: boolean;
  readonly sizes: Readonly<Record<keyof typeof BENCH_SIZES, Size>>;
}

/** `npm run bench`'s options from the command line; help and bad values end the process. */
export function benchOptions(): BenchOptions {
  const opts = aloneOptions(HELP, {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    out: { type: 'string' },
  });
  const smoke = opts.smoke === true;
  const runs = Number(opts.runs ?? 3);
  const seconds = Number(opts.seconds ?? (smoke ? 0.4 : 3));
  if (!Number.isInteger(runs) || runs < 1 || !(seconds > 0)) {
    console.error(`bad --runs or --seconds\n\n${HELP}`);
    process.exit(2);
  }
  return {
    smoke,
    runs,
    seconds,
    warmUpSeconds: smoke ? 0.3 : 2,
    out: opts.out ?? (smoke ? 'bench/results/smoke.json' : 'bench/results/latest.json'),
    keep: opts.keep === true,
    sizes: smoke ? SMOKE_SIZES : BENCH_SIZES,
  };
}
