/**
 * The bench's figures: each measured once per run, summarized by the median of the runs with
 * the spread (max − min) ÷ median, and compared with its target from the quality bar.
 */
export interface Target {
  readonly atMost?: number;
  readonly atLeast?: number;
}

export interface Figure {
  readonly id: string;
  readonly what: string;
  readonly unit: string;
  readonly runs: number[];
  readonly target?: Target;
  /** What the figure is made of (the two sides of a ratio), per run. */
  readonly details: string[];
  /** A ratio's two sides, per run (the median round's where interleaved), to say what moved. */
  readonly sides?: Sides;
}

/** The numerator and the denominator of a ratio figure, run by run, in one unit. */
export interface Sides {
  readonly names: readonly [string, string];
  readonly unit: string;
  readonly a: number[];
  readonly b: number[];
}

/** Records one run's sides and returns that run's ratio, a ÷ b: the figure is its sides. */
export function recordRatio(s: Sides, a: number, b: number): number {
  s.a.push(a);
  s.b.push(b);
  return a / b;
}

/** Empty sides to push each run's pair into. */
export const sidesOf = (a: string, b: string, unit: string): Sides => ({
  names: [a, b],
  unit,
  a: [],
  b: [],
});

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const spread = (xs: readonly number[]): number =>
  xs.length < 2 ? 0 : (Math.max(...xs) - Math.min(...xs)) / Math.abs(median(xs) || 1);

export function meets(figure: Figure): boolean | null {
  if (!figure.target) return null;
  const v = median(figure.runs);
  return (
    (figure.target.atMost === undefined || v <= figure.target.atMost) &&
    (figure.target.atLeast === undefined || v >= figure.target.atLeast)
  );
}

function show(value: number, unit: string): string {
  if (unit === '1/x') return `1/${(1 / value).toFixed(1)}`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit === '×' ? '×' : ` ${unit}`}`;
}

function showTarget(figure: Figure): string {
  const t = figure.target;
  if (!t) return '';
  if (t.atMost !== undefined) return `≤ ${show(t.atMost, figure.unit)}`;
  return `≥ ${show(t.atLeast!, figure.unit)}`;
}

/** The table the bench prints (Markdown, so the README can hold it as is). */
export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const ok = meets(f);
    return [
      f.id,
      f.what,
      show(median(f.runs), f.unit),
      showTarget(f),
      ok === null ? '' : ok ? 'met' : '**missed**',
      `${(spread(f.runs) * 100).toFixed(1)}%`,
      f.runs.map((r) => show(r, f.unit)).join(' · '),
    ];
  });
  const head = ['id', 'what', 'median', 'target', '', 'spread', 'runs'];
  const lines = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  return lines.join('\n');
}

const range = (xs: readonly number[], unit: string): string => {
  // As the table shows a figure: three significant digits for small values (0.16–0.19 µs).
  const top = Math.max(...xs.map(Math.abs));
  const digits = top >= 100 ? 0 : top >= 10 ? 1 : 2;
  return `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)} ${unit}`;
};
const percent = (x: number) => `${(x * 100).toFixed(0)}%`;
/** S9's bar: a row whose spread over the runs is within it is steady. */
export const STEADY = 0.1;

/**
 * Why a ratio's spread is what it is, from its sides: each side's range and spread over the
 * runs, and which of them moved. One side "moved" when the other held within S9's 10% and it
 * moved at least twice as much; otherwise both moved, together when the ratio's spread stayed at
 * or below the larger side's (drift the interleaving took out), not together when it rose above
 * both (each side's own noise, or the two in opposite directions: three runs cannot tell which).
 */
export function sidesReason(f: Figure): string | undefined {
  const s = f.sides;
  if (!s || s.a.length < 2 || s.a.length !== s.b.length || s.a.length !== f.runs.length)
    return undefined;
  const [sa, sb, sr] = [spread(s.a), spread(s.b), spread(f.runs)];
  const verdict =
    sb <= STEADY && sa >= 2 * sb
      ? `${s.names[0]} moved`
      : sa <= STEADY && sb >= 2 * sa
        ? `${s.names[1]} moved`
        : sr > Math.max(sa, sb)
          ? 'both moved, not together'
          : 'both moved, together';
  return `${s.names[0]} ${range(s.a, s.unit)} (${percent(sa)}), ${s.names[1]} ${range(s.b, s.unit)} (${percent(sb)}): ${verdict}`;
}

/** The S9 line's entry for a row whose spread is over 10%: its spread, and its sides' reason. */
export function unsteadyEntry(f: Figure): string {
  const reason = sidesReason(f);
  const name = `${f.id} ${f.what.split(/[(,]/)[0]!.trim()}`;
  return `${name} (${percent(spread(f.runs))}${reason ? `; ${reason}` : ''})`;
}
