import { html } from 'htm/preact';
import { gql } from './api.js';
import { Copy } from './copy-button.js';
import { gqlLocale, t } from './i18n.js';
import { ReadFailed } from './live-updates.js';
import { useReadOn } from './read-on.js';

const PART = `query Part($keys: [String!], $locale: Locale!) {
  weeklyReport(locale: $locale, initiatives: $keys) }`;

/**
 * The initiative's part of the weekly report, as the whole report writes it (its objective,
 * its letter, staged lines, metrics, milestones, its own updates), to copy into the team's
 * report. Read again with every write the page follows. An initiative the report leaves out
 * (archived) has no part: the server refuses the key, and nothing is shown.
 */
export function ReportPart({ initiativeKey, revision }) {
  const { data, error } = useReadOn(
    () =>
      gql(PART, { keys: [initiativeKey], locale: gqlLocale() }).then(
        (d) => d.weeklyReport,
        (e) => {
          if (e.code === 'BAD_USER_INPUT') return '';
          throw e;
        },
      ),
    [initiativeKey, revision],
  );
  if (!data) return error ? html`<${ReadFailed} error=${error} />` : null;
  return html`<details class="report-part">
    <summary>${t('weeklyPart')}</summary>
    <${ReadFailed} error=${error} />
    <${Copy} text=${data} />
    <pre class="report">${data}</pre>
  </details>`;
}
