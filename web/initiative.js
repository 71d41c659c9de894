import { html } from 'htm/preact';
import { gql, INITIATIVE } from './api.js';
import { Bar, Legend } from './bar.js';
import { BurnUp } from './chart.js';
import { Health, Stalled } from './health.js';
import { ReadFailed, useLiveQuery } from './live-updates.js';
import { gqlLocale, pct, t } from './i18n.js';
import { SheetPanel } from './sheets.js';
import { ReportModel } from './report-model.js';
import { TreeNode } from './tree.js';
import { Copy } from './copy-button.js';
import { ReportPart } from './report-part.js';

/** One initiative: health, the tree, the burn-up, stalled items, report lines, its part of the weekly Markdown and the whole, spreadsheets. */
export function InitiativePage({ initiativeKey }) {
  const [{ data, error }, refresh] = useLiveQuery(
    () => gql(INITIATIVE, { key: initiativeKey, locale: gqlLocale() }),
    [initiativeKey],
    (d) => (d.initiative ? [{ key: d.initiative.key, revision: d.initiative.revision }] : null),
  );
  if (!data) return error ? html`<p class="error">${error}</p>` : html`<p>…</p>`;
  const i = data.initiative;
  if (!i)
    return html`<section>
      <p class="error" role="alert">${t('noSuchInitiative', initiativeKey)}</p>
      <p><a href="#/">${t('home')}</a></p>
    </section>`;
  const lines = i.reportLines.join('\n');
  const canEdit = data.viewer.canEdit;
  const where = [i.phase, i.targetDate ? `${t('target')} ${i.targetDate}` : null].filter(Boolean);
  return html`<section>
    <${ReadFailed} error=${error} />
    <h1>
      ${i.name} <strong class="pct">${pct(i.progress)}</strong>${' '}
      <span class="muted">${t('total', i.progress.total)}</span>
    </h1>
    <${Bar} name=${i.name} progress=${i.progress} /><${Legend} byStatus=${i.progress.byStatus} />
    <p class="muted">
      ${where.map((w) => `${w} · `)}${t('health')}:${' '}
      <${Health} health=${i.health} />
    </p>
    <ul class="tree">
      ${i.workstreams.map((w) => html`<${TreeNode} node=${w} initiativeKey=${i.key} onChanged=${refresh} canEdit=${canEdit} revision=${i.revision} />`)}
    </ul>
    <${ReportModel} initiativeKey=${i.key} revision=${i.revision} />
    <${BurnUp} initiativeKey=${i.key} />
    <h2>${t('stalled')}</h2>
    <${Stalled} stalled=${i.stalledItems} labels=${i.progress.byStatus} />
    <h2>${t('report')} <${Copy} text=${lines} /></h2>
    <pre class="report">${lines}</pre>
    <${ReportPart} initiativeKey=${i.key} revision=${i.revision} />
    <details>
      <summary>${t('weekly')}</summary>
      <${Copy} text=${data.weeklyReport} />
      <pre class="report">${data.weeklyReport}</pre>
    </details>
    <${SheetPanel} initiativeKey=${i.key} onApplied=${refresh} canEdit=${canEdit} />
  </section>`;
}
