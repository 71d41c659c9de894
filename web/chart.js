import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { BURNUP, gql } from './api.js';
import { gqlLocale, pct, reportDay, t } from './i18n.js';
import { ReadFailed, useLiveQuery } from './live-updates.js';

const WEEK_MS = 7 * 86_400_000;
/** How far back the chart reads: half a year of weekly points (the server allows 1,000). */
const WEEKS_BACK = 26;
// Dates are days of the team's calendar (+08:00), as the server writes them.
const dayStart = (d) => (d ? Date.parse(`${d}T00:00:00+08:00`) / 1000 : null);
const md = (s) => {
  const d = new Date(s * 1000 + 8 * 3_600_000);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
};
const year = (s) => new Date(s * 1000 + 8 * 3_600_000).getUTCFullYear();
/** Axis labels: month/day, with the year on the first and wherever a new year starts. */
const axisDates = (splits) =>
  splits.map((s, i) =>
    i === 0 || year(s) !== year(splits[i - 1]) ? `${year(s)}/${md(s)}` : md(s),
  );
const num = (x) => String(Math.round(x * 100) / 100);

/**
 * Points before the initiative existed read as empty trees; they are left out rather than drawn
 * as zeros. Nothing else is dropped or made up: one point of history draws as one point.
 */
export function burnupPoints(series) {
  const first = series.findIndex((p) => p.total > 0 || p.counted > 0);
  return first < 0 ? [] : series.slice(first);
}

/** Draws the P50–P85 band and the target date on the plot area, under the lines. */
function marks(target, p50, p85) {
  return (u) => {
    const { ctx, bbox } = u;
    const x = (s) => u.valToPos(s, 'x', true);
    ctx.save();
    if (p50 !== null && p85 !== null) {
      ctx.fillStyle = 'rgba(9, 105, 218, 0.12)';
      ctx.fillRect(x(p50), bbox.top, Math.max(x(p85) - x(p50), 2), bbox.height);
    }
    if (target !== null) {
      ctx.strokeStyle = '#cf222e';
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x(target), bbox.top);
      ctx.lineTo(x(target), bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  };
}

function Plot({ points, target, p50, p85 }) {
  const box = useRef(null);
  useEffect(() => {
    const xs = points.map((p) => Date.parse(p.at) / 1000);
    const last = Math.max(xs.at(-1), target ?? 0, p85 ?? 0);
    const opts = {
      width: Math.min(box.current.clientWidth || 900, 1000),
      height: 280,
      scales: {
        // Room for the target and the band to the right; a lone point gets a week on each side.
        x: { time: true, range: () => [xs[0] - WEEK_MS / 2000, last + WEEK_MS / 2000] },
        y: { range: (u, min, max) => [0, Math.max(max, 1) * 1.05] },
      },
      axes: [{ values: (u, splits) => axisDates(splits) }, {}],
      series: [
        { label: t('date'), value: (u, v) => (v === null ? '--' : md(v)) },
        { label: t('credit'), stroke: '#1a7f37', width: 2, points: { size: 7 } },
        { label: t('scope'), stroke: '#656d76', width: 2, dash: [4, 3], points: { size: 7 } },
      ],
      hooks: { drawClear: [marks(target, p50, p85)] },
    };
    const data = [xs, points.map((p) => p.credit), points.map((p) => p.counted)];
    const plot = new uPlot(opts, data, box.current);
    // The plot is drawn at its box's width: it follows the box when the window narrows or widens.
    const resized = new ResizeObserver(() => {
      const width = Math.min(box.current?.clientWidth || 900, 1000);
      if (width !== plot.width) plot.setSize({ width, height: 280 });
    });
    resized.observe(box.current);
    return () => (resized.disconnect(), plot.destroy());
  }, [points, target, p50, p85]);
  return html`<div ref=${box} class="plot" aria-hidden="true"></div>`;
}

/**
 * The chart's text alternative: every point, as exact as the server gave it. Hidden, it sits in
 * a visually hidden box (a table keeps its content's width whatever width it is given, and ran
 * off a phone's screen); shown, in a box that scrolls sideways when it is wider than the screen.
 */
function DataTable({ points, shown }) {
  return html`<div class=${shown ? 'scroll-x' : 'visually-hidden'}>
    <table class="points">
      <caption>
        ${t('chartData')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('date')}</th>
          <th scope="col">${t('percent')}</th>
          <th scope="col">${t('credit')}</th>
          <th scope="col">${t('scope')}</th>
          <th scope="col">${t('items')}</th>
        </tr>
      </thead>
      <tbody>
        ${points.map(
          (p) =>
            html`<tr>
              <th scope="row"><time datetime=${p.at}>${reportDay(p.at)}</time></th>
              <td>${pct(p)}</td>
              <td>${num(p.credit)}</td>
              <td>${num(p.counted)}</td>
              <td>${p.total}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function ForecastLine({ forecast, targetDate }) {
  const f = forecast;
  const dates =
    f.status === 'OK'
      ? `P50 ${f.p50} · P85 ${f.p85} · P95 ${f.p95 ?? '—'}`
      : t(`forecast_${f.status}`);
  return html`<p class="forecast">
    <strong>${t('forecast')}</strong
    >:${' '}${dates}${targetDate ? ` · ${t('target')} ${targetDate}` : ''} <br /><span class="muted"
      >${f.explain}</span
    >
  </p>`;
}

/** The burn-up: credit and scope (counted) each week, the target date, the P50–P85 band. */
export function BurnUp({ initiativeKey }) {
  const [shown, setShown] = useState(false);
  const [{ data, error }] = useLiveQuery(
    () =>
      gql(BURNUP, {
        key: initiativeKey,
        from: new Date(Date.now() - WEEKS_BACK * WEEK_MS),
        locale: gqlLocale(),
      }),
    [initiativeKey],
    // The initiative's own figure is the only one drawn: its events alone, after the revision
    // read, so a write that commits while the chart subscribes still moves it.
    (d) =>
      d.initiative
        ? [{ key: initiativeKey, nodeIds: [d.initiative.id], revision: d.initiative.revision }]
        : null,
  );
  if (!data?.initiative) return error ? html`<p class="error">${error}</p>` : null;
  const { progressHistory, forecast, targetDate } = data.initiative;
  const points = burnupPoints(progressHistory);
  const band = forecast.status === 'OK' ? [dayStart(forecast.p50), dayStart(forecast.p85)] : [];
  // The keys name only what is drawn: a target date before the first point is off the plot (the
  // forecast line below still says it).
  const start = points.length > 0 ? Date.parse(points[0].at) / 1000 - WEEK_MS / 2000 : null;
  const drawn = {
    target: start !== null && targetDate !== null && dayStart(targetDate) >= start,
    band: start !== null && band.length > 0,
  };
  return html`<section class="burnup" aria-labelledby="burnup-title">
    <h2 id="burnup-title">
      ${t('history')}
      <button class="link" aria-pressed=${shown} onClick=${() => setShown(!shown)}>
        ${shown ? t('hideTable') : t('showTable')}
      </button>
    </h2>
    ${
      points.length > 0
        ? html`<${Plot}
            points=${points}
            target=${dayStart(targetDate)}
            p50=${band[0] ?? null}
            p85=${band[1] ?? null}
          />`
        : html`<p class="muted">${t('noHistory')}</p>`
    }
    <p class="legend chart-keys">
      <span class="key"><i class="dot k-credit"></i>${t('credit')}</span>
      <span class="key"><i class="dot k-scope"></i>${t('scope')}</span>
      ${drawn.target ? html`<span class="key"><i class="dot k-target"></i>${t('target')}</span>` : null}
      ${drawn.band ? html`<span class="key"><i class="dot k-band"></i>P50–P85</span>` : null}
    </p>
    <${ForecastLine} forecast=${forecast} targetDate=${targetDate} />
    <${ReadFailed} error=${error} />
    <${DataTable} points=${points} shown=${shown} />
  </section>`;
}
