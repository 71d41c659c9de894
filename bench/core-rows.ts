import type { BenchSetup } from './bench-setup.js';
import { sidesOf, type Figure } from './summary.js';

/** S3's background of writes, spread over the two trees. */
export const WRITES_PER_SECOND = 10;

const FIGURES = [
  's1',
  's2',
  's3',
  's3kept',
  's3cold',
  's3floor',
  's3keptUs',
  's4',
  's5',
  's5rate',
  's5core',
  's6',
  's6core',
  's6block',
  's8',
  's10',
] as const;
type Key = (typeof FIGURES)[number];

/**
 * The main runs' figures (S1–S6, S8, S10), run by run: each row's readings, the details printed
 * beside it, and the two sides of each ratio row for S9's reasons.
 */
export class CoreFigures {
  readonly runs = Object.fromEntries(FIGURES.map((k) => [k, [] as number[]])) as Record<
    Key,
    number[]
  >;
  readonly details = Object.fromEntries(FIGURES.map((k) => [k, [] as string[]])) as Record<
    Key,
    string[]
  >;
  readonly sides = {
    s1: sidesOf('Jindu', 'bare Apollo', 'µs'),
    s2: sidesOf('dashboards', '`{ __typename }`', '/s'),
    s3: sidesOf('Jindu', 'the floor', 'µs a node'),
    s3kept: sidesOf('Jindu', 'the floor', 'µs a node'),
    s4: sidesOf('1,000,000 items', '10,000 items', 'ms'),
    s5: sidesOf('the server', 'raw', 'µs'),
    s6: sidesOf('the server', 'raw', 'µs'),
  };

  /** A reading of one run, and what is printed beside it. */
  push(key: Key, value: number, detail?: string): void {
    this.runs[key].push(value);
    if (detail !== undefined) this.details[key].push(detail);
  }

  /** The rows of the quality bar, as the table prints them. */
  rows({ small, large, huge }: BenchSetup, bulk: number): Figure[] {
    const row = (
      key: Key,
      id: string,
      what: string,
      unit: Figure['unit'],
      target?: Figure['target'],
    ): Figure => ({
      id,
      what,
      unit,
      runs: this.runs[key],
      ...(target ? { target } : {}),
      details: this.details[key],
      ...(key in this.sides ? { sides: this.sides[key as keyof typeof this.sides] } : {}),
    });
    const smallSize = small.workstreamIds.length;
    const largeSize = large.workstreamIds.length;
    return [
      row('s1', 'S1', '`{ __typename }` CPU per request ÷ bare Apollo Server 5', '×', {
        atMost: 1.25,
      }),
      row(
        's2',
        'S2',
        `dashboard (${smallSize} workstreams) throughput ÷ \`{ __typename }\` throughput`,
        '1/x',
        { atLeast: 1 / 20 },
      ),
      row(
        's3',
        'S3',
        `CPU per workstream node (slope ${smallSize} → ${largeSize}), kept answers off ÷ the bare graphql-jit floor`,
        '×',
        { atMost: 1.5 },
      ),
      row(
        's3kept',
        'S3',
        `the same, kept answers on, ${WRITES_PER_SECOND} writes/s over the trees ÷ the floor`,
        '×',
        { atMost: 1.5 },
      ),
      row('s3cold', 'S3', 'Jindu per workstream node, kept answers off', 'µs'),
      row(
        's3floor',
        'S3',
        'the floor per workstream node: graphql-jit, plain objects, the same answer',
        'µs',
      ),
      row(
        's3keptUs',
        'S3',
        `Jindu per workstream node, kept answers, ${WRITES_PER_SECOND} writes/s`,
        'µs',
      ),
      row(
        's4',
        'S4',
        `dashboard latency, ${huge.itemCount.toLocaleString('en')} items ÷ ${large.itemCount.toLocaleString('en')} items (${largeSize} workstreams)`,
        '×',
        { atMost: 1.2 },
      ),
      row(
        's5',
        'S5',
        '`setItemStatus` server CPU ÷ raw SQLite transaction (the same writes)',
        '×',
        { atMost: 4 },
      ),
      row('s5rate', 'S5', '`setItemStatus` per second on one core', '/s', { atLeast: 1000 }),
      row(
        's5core',
        'S5',
        'the same ÷ the raw transaction without live events (the baseline until 2026-12-05)',
        '×',
      ),
      row(
        's6',
        'S6',
        `\`setItemStatuses\` of ${bulk} server CPU ÷ raw SQLite transaction (the same writes)`,
        '×',
        { atMost: 2 },
      ),
      row(
        's6core',
        'S6',
        'the same ÷ the raw transaction without live events (the baseline until 2026-12-05)',
        '×',
      ),
      row('s6block', 'S6', 'longest event-loop block during bulk updates', 'ms', { atMost: 50 }),
      row('s8', 'S8', `report lines, ${smallSize}-workstream initiative, end to end`, 'ms', {
        atMost: 100,
      }),
      row(
        's10',
        'S10',
        `peak server RSS, ${huge.itemCount.toLocaleString('en')}-item dashboard under load`,
        'MB',
        { atMost: 256 },
      ),
    ];
  }
}
