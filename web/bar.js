import { html } from 'htm/preact';
import { pct } from './i18n.js';

/** A progress bar stacked by status (counts), announced as one progressbar with the percent. */
export function Bar({ name, progress }) {
  const now = progress.percent === null ? undefined : Math.round(progress.percent * 100) / 100;
  const total = progress.total || 1;
  return html`<div
    class="bar"
    role="progressbar"
    aria-label=${name}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${now}
    aria-valuetext=${pct(progress)}
  >
    ${
      progress.total === 0 && progress.percent !== null
        ? // A percent set by hand on a node without items: one segment of that width.
          html`<span class="seg s-MANUAL" style=${{ width: `${progress.percent}%` }}></span>`
        : null
    }
    ${progress.byStatus
      .filter((s) => s.count > 0)
      .map(
        (s) =>
          html`<span
            class=${`seg s-${s.status}`}
            style=${{ width: `${(100 * s.count) / total}%` }}
            title=${`${s.label} ${s.count}`}
          ></span>`,
      )}
  </div>`;
}

export function Legend({ byStatus }) {
  return html`<span class="legend"
    >${byStatus
      .filter((s) => s.count > 0)
      .map(
        (s) =>
          html`<span class="key"><i class=${`dot s-${s.status}`}></i>${s.label} ${s.count}</span>`,
      )}</span
  >`;
}
