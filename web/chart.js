import { html } from 'htm/preact';
import { t } from './i18n.js';

/**
 * The burn-up chart (credit and scope over time, target date, P50–P85 band) needs the history
 * series (progressHistory) and forecasts, which the server does not serve yet. Until it does,
 * the section says so instead of drawing invented data; the data table beside the chart will be
 * its text alternative.
 */
export function BurnUp() {
  return html`<section class="burnup">
    <h2>${t('history')}</h2>
    <p class="muted">${t('noHistory')}</p>
  </section>`;
}
