import { html } from 'htm/preact';
import { reportDay, t } from './i18n.js';

/** Health: a coloured status word and the server's reason beside it (not only in a tooltip). */
export function Health({ health }) {
  if (!health) return null;
  const manual = health.source === 'MANUAL' ? ` · ${t('manual')}` : '';
  return html`<span class="health">
    <span class=${`badge h-${health.status}`}>${t(`health_${health.status}`)}</span>${' '}
    <span class="muted reason">${health.reason}${manual}</span>
  </span>`;
}

/** Items in progress or paused with no logged change for 14 days or more, oldest first. */
export function Stalled({ stalled, labels }) {
  const label = (st) => labels.find((l) => l.status === st)?.label ?? st;
  if (stalled.nodes.length === 0) return html`<p class="muted">${t('noStalled')}</p>`;
  return html`<table class="items stalled">
    <thead>
      <tr>
        <th scope="col">${t('item')}</th>
        <th scope="col">${t('workstream')}</th>
        <th scope="col">${t('status')}</th>
        <th scope="col">${t('lastChange')}</th>
      </tr>
    </thead>
    <tbody>
      ${stalled.nodes.map(
        (s) =>
          html`<tr>
            <td>${s.item.name}</td>
            <td>${s.item.workstream.name}</td>
            <td>
              ${label(s.item.status)} ${s.item.status === 'IN_PROGRESS' ? `${s.item.percent}%` : ''}
            </td>
            <td>
              <time datetime=${s.lastChangeAt}>${reportDay(s.lastChangeAt)}</time> ·
              ${t('daysAgo', s.days)}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
