import { html } from 'htm/preact';
import { gql } from './api.js';
import { pct } from './i18n.js';
import { ReadFailed } from './live-updates.js';
import { useReadOn } from './read-on.js';
import { rt } from './report-text.js';

// What the weekly report tracks beyond the tree: named figures, stages, metrics, milestones.
const MODEL = `query ReportModel($key: String!, $after: String) { initiative(key: $key) {
  figures { name percent credit counted }
  stages { name percent }
  workstreams { stages { name } }
  metrics { id name unit target direction workstreamName met metLabel burnDown burnDownPercent
    latest { value lowerBound effectiveAt } }
  milestones { id name workstreamName dueDate duePrecision doneDate note overdue slipDays }
  items(first: 100, after: $after) { nodes { id name stage stageNote workstream { name } }
    pageInfo { hasNextPage endCursor } } } }`;

/** Staged items are few, but may sit past the first page: read on while there are pages. */
async function loadModel(key) {
  const first = (await gql(MODEL, { key })).initiative;
  if (!first) return null;
  const staged = first.stages || first.workstreams.some((w) => w.stages);
  const items = [...first.items.nodes];
  for (let page = first.items.pageInfo, n = 0; staged && page.hasNextPage && n < 20; n++) {
    const next = (await gql(MODEL, { key, after: page.endCursor })).initiative.items;
    items.push(...next.nodes);
    page = next.pageInfo;
  }
  return { ...first, stagedItems: items.filter((i) => i.stage !== null) };
}

/** A unit after its number: "99.81%" but "1409444.598 元" (a percent sign takes no space). */
const withUnit = (n, unit) => `${n}${unit ? (unit === '%' ? '%' : ` ${unit}`) : ''}`;
const value = (m) =>
  m.latest ? withUnit(`${m.latest.value}${m.latest.lowerBound ? '+' : ''}`, m.unit) : '—';

function Met({ metric }) {
  if (metric.burnDown && metric.burnDownPercent !== null)
    return html`<span class="badge m-BURN">${rt('burnDown', metric.burnDownPercent)}</span>`;
  const state = metric.met === null ? 'NO_TARGET' : metric.met ? 'MET' : 'NOT_MET';
  return html`<span class=${`badge m-${state}`}>${rt(state)}</span>`;
}

function Metrics({ metrics }) {
  if (metrics.length === 0) return null;
  return html`<h2>${rt('metrics')}</h2>
    <div class="scroll-x">
      <table class="items metrics">
        <thead>
          <tr>
            <th scope="col">${rt('metric')}</th>
            <th scope="col">${rt('latest')}</th>
            <th scope="col">${rt('target')}</th>
            <th scope="col">${rt('met')}</th>
            <th scope="col">${rt('workstream')}</th>
          </tr>
        </thead>
        <tbody>
          ${metrics.map(
            (m) =>
              html`<tr>
                <td>${m.name}</td>
                <td class="num">${value(m)}</td>
                <td class="num">${m.target === null ? '—' : withUnit(m.target, m.unit)}</td>
                <td><${Met} metric=${m} /></td>
                <td>${m.workstreamName ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

function Milestones({ milestones }) {
  if (milestones.length === 0) return null;
  const state = (m) => (m.doneDate ? 'finished' : m.overdue ? 'overdue' : 'onTime');
  return html`<h2>${rt('milestones')}</h2>
    <div class="scroll-x">
      <table class="items milestones">
        <thead>
          <tr>
            <th scope="col">${rt('milestone')}</th>
            <th scope="col">${rt('workstream')}</th>
            <th scope="col">${rt('due')}</th>
            <th scope="col">${rt('state')}</th>
            <th scope="col">${rt('slip')}</th>
          </tr>
        </thead>
        <tbody>
          ${milestones.map(
            (m) =>
              html`<tr class=${m.overdue ? 'overdue' : ''}>
                <td>${m.name}${m.note ? html` <span class="muted">${m.note}</span>` : null}</td>
                <td>${m.workstreamName ?? ''}</td>
                <td>
                  <time datetime=${m.dueDate}
                    >${m.duePrecision === 'MONTH' ? m.dueDate.slice(0, 7) : m.dueDate}</time
                  >
                  ${m.doneDate ? html` · ${rt('done')} <time datetime=${m.doneDate}>${m.doneDate}</time>` : null}
                </td>
                <td><span class=${`badge ms-${state(m)}`}>${rt(state(m))}</span></td>
                <td>${rt('slipDays', m.slipDays)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

function Stages({ stages, items }) {
  if (!stages && items.length === 0) return null;
  return html`<h2>${rt('stages')}</h2>
    ${
      stages
        ? html`<p class="workflow" aria-label=${rt('workflow')}>
            ${stages.map((s, i) => html`${i > 0 ? ' → ' : ''}<span class="stage">${s.name} ${s.percent}%</span>`)}
          </p>`
        : null
    }
    <div class="scroll-x">
      <table class="items staged" aria-label=${rt('stagedItems')}>
        <thead>
          <tr>
            <th scope="col">${rt('item')}</th>
            <th scope="col">${rt('stage')}</th>
            <th scope="col">${rt('stageNote')}</th>
          </tr>
        </thead>
        <tbody>
          ${items.map(
            (i) =>
              html`<tr>
                <td>${i.name}</td>
                <td><span class="stage">${i.stage}</span></td>
                <td>${i.stageNote ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

/** An item row's stage and note, for the tree's item tables (empty for an unstaged item). */
export function StageCell({ item }) {
  if (!item.stage) return null;
  return html`<span class="stage">${item.stage}</span>${
      item.stageNote ? html` <span class="muted">${item.stageNote}</span>` : null
    }`;
}

/**
 * The initiative page's report-model sections; nothing when the initiative tracks none. Read
 * again at each new revision of the page, so its named figures never lag the tree's.
 */
export function ReportModel({ initiativeKey, revision }) {
  const { data, error } = useReadOn(() => loadModel(initiativeKey), [initiativeKey, revision]);
  if (!data) return error ? html`<p class="error">${error}</p>` : null;
  return html`<div class="report-model">
    <${ReadFailed} error=${error} />
    ${
      data.figures.length > 1
        ? html`<p class="figures" aria-label=${rt('figures')}>
            ${data.figures.map((f) => html`<span class="figure">${f.name} <strong>${pct(f)}</strong></span>`)}
          </p>`
        : null
    }
    <${Stages} stages=${data.stages} items=${data.stagedItems} />
    <${Metrics} metrics=${data.metrics} />
    <${Milestones} milestones=${data.milestones} />
  </div>`;
}
