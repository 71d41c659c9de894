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
}

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
