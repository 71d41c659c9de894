import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { EXPLAIN, gql, ITEMS, SET_MANY, SET_ONE } from './api.js';
import { Bar, Legend } from './bar.js';
import { gqlLocale, pct, STATUSES, t, userErrorText } from './i18n.js';
import { StageCell } from './report-model.js';

const EXPANDED = 'jindu.expanded';
const expanded = () => new Set(JSON.parse(localStorage.getItem(EXPANDED) ?? '[]'));
function remember(id, open) {
  const set = expanded();
  if (open) set.add(id);
  else set.delete(id);
  localStorage.setItem(EXPANDED, JSON.stringify([...set]));
}

/** A workstream: its bar, percent, 总计N个, explain on demand; children or items when expanded. */
export function TreeNode({ node, onChanged, canEdit }) {
  const [open, setOpen] = useState(expanded().has(node.id));
  const [explain, setExplain] = useState(null);
  const leaf = node.children === undefined || node.children.length === 0;
  const toggle = () => (remember(node.id, !open), setOpen(!open));
  const showExplain = async () =>
    setExplain(
      explain
        ? null
        : (await gql(EXPLAIN, { id: node.id, locale: gqlLocale() })).node.progress.explain,
    );
  return html`<li role="treeitem" aria-expanded=${open} class="node">
    <div class="row">
      <button class="toggle" aria-label=${node.name} onClick=${toggle}>${open ? '▾' : '▸'}</button>
      <span class="name">${node.name}</span>
      ${node.phase ? html`<span class="phase">${node.phase}</span>` : null}
      <${Bar} name=${node.name} progress=${node.progress} />
      <strong class="pct">${pct(node.progress)}</strong>${' '}
      <span class="muted">
        ${node.manualPercent !== null && node.progress.total === 0 ? t('manualFigure') : t('total', node.progress.total)}
      </span>
      <button class="link" onClick=${showExplain}>${t('explain')}</button>
    </div>
    <${Legend} byStatus=${node.progress.byStatus} />
    ${explain ? html`<pre class="explain">${explain}</pre>` : null}
    ${
      open && !leaf
        ? html`<ul role="group">
            ${node.children.map((c) => html`<${TreeNode} node=${c} onChanged=${onChanged} canEdit=${canEdit} />`)}
          </ul>`
        : null
    }
    ${open && leaf ? html`<${Items} workstreamId=${node.id} onChanged=${onChanged} canEdit=${canEdit} labels=${node.progress.byStatus} stamp=${stampOf(node.progress)} />` : null}
  </li>`;
}

/** What moves when an item of the node changes status or percent (a write elsewhere, seen live). */
const stampOf = (progress) =>
  [progress.percent, progress.total, ...progress.byStatus.map((b) => b.count)].join('|');

const errorsFor = (errs, prefix) =>
  errs.filter((e) => !prefix || (e.field ?? []).join('.').startsWith(prefix));

/** A leaf's items, editable in place with a token; several can be set at once (one setItemStatuses). */
function Items({ workstreamId, onChanged, canEdit, labels, stamp }) {
  const [items, setItems] = useState(null);
  const [errors, setErrors] = useState({});
  const [picked, setPicked] = useState(new Set());
  const [bulk, setBulk] = useState('DONE');
  const load = () => gql(ITEMS, { id: workstreamId }).then((d) => setItems(d.node.items.nodes));
  // The leaf's figures moved (a write here or elsewhere, seen live): its rows are read again, so
  // each row shows the item as it is and its next save expects the version it now has.
  const seen = useRef(stamp);
  useEffect(() => {
    if (seen.current === stamp) return;
    seen.current = stamp;
    if (items !== null) load();
  }, [stamp]);
  if (items === null) {
    load();
    return html`<p class="muted">…</p>`;
  }
  /** An item changed since the rows were read: read them again, and keep the message. */
  const staleAfter = async (userErrors) => {
    if (userErrors.some((e) => e.code === 'STALE_VERSION')) await load();
  };
  const label = (s) => labels.find((l) => l.status === s)?.label ?? s;
  const save = async (item, status, percentText) => {
    if (!/^\s*-?\d*\s*$/.test(percentText))
      return setErrors({ ...errors, [item.id]: [{ message: `${t('percent')}: ${percentText}?` }] });
    const percent = percentText.trim() === '' ? null : Number(percentText);
    const input = { itemId: item.id, status, percent, expectedVersion: item.version };
    const r = (await gql(SET_ONE, { input })).setItemStatus;
    setErrors({ ...errors, [item.id]: r.userErrors });
    if (r.userErrors.length > 0) return staleAfter(r.userErrors);
    await load();
    onChanged();
  };
  const setAll = async () => {
    const updates = items
      .filter((i) => picked.has(i.id))
      .map((i) => ({ itemId: i.id, status: bulk, expectedVersion: i.version }));
    const r = (await gql(SET_MANY, { input: { updates } })).setItemStatuses;
    setErrors({ ...errors, bulk: r.userErrors });
    if (r.userErrors.length > 0) return staleAfter(r.userErrors);
    setPicked(new Set());
    await load();
    onChanged();
  };
  return html`<table class="items">
      <tbody>
        ${items.map(
          (item) =>
            html`<tr>
              ${
                canEdit
                  ? html`<td>
                      <input
                        type="checkbox"
                        aria-label=${item.name}
                        checked=${picked.has(item.id)}
                        onChange=${(e) => {
                          const p = new Set(picked);
                          if (e.target.checked) p.add(item.id);
                          else p.delete(item.id);
                          setPicked(p);
                        }}
                      />
                    </td>`
                  : null
              }
              <td>${item.name} <${StageCell} item=${item} /></td>
              ${
                canEdit
                  ? html`<${ItemEditor}
                      key=${`${item.id}:${item.version}`}
                      item=${item}
                      label=${label}
                      onSave=${save}
                      errors=${errors[item.id] ?? []}
                    />`
                  : html`<td>${label(item.status)}</td>
                      <td title=${NO_PERCENT.has(item.status) ? t('noOwnPercent') : undefined}>
                        ${shownPercent(item)}
                      </td>`
              }
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      canEdit && picked.size > 0
        ? html`<div class="bulk">
            ${t('selected', picked.size)}
            <select value=${bulk} onChange=${(e) => setBulk(e.target.value)}>
              ${STATUSES.map((s) => html`<option value=${s}>${label(s)}</option>`)}
            </select>
            <button onClick=${setAll}>${t('setAll')}</button>
            ${(errors.bulk ?? []).map((e) => html`<span class="error" role="alert" title=${e.message}>${userErrorText(e)}</span>`)}
          </div>`
        : null
    }`;
}

/** Statuses whose percent is the item's own; the others' percent is fixed by the status. */
const OWN_PERCENT = new Set(['IN_PROGRESS', 'PAUSED']);
/**
 * Statuses whose stored percent means nothing: the rollup policy says what they count for
 * (by default in full, "no work left"), so a 可下线 item showed "0%" while it counted as done.
 */
const NO_PERCENT = new Set(['DECOMMISSIONABLE', 'CANCELLED']);
const shownPercent = (item) => (NO_PERCENT.has(item.status) ? '—' : `${item.percent}%`);

function ItemEditor({ item, label, onSave, errors }) {
  const [status, setStatus] = useState(item.status);
  const [percent, setPercent] = useState(NO_PERCENT.has(item.status) ? '' : String(item.percent));
  // A status whose percent is fixed (完成 100, 未启动 0…) takes the server's: the field empties,
  // so choosing 完成 on an item at 90% does not send 90 with it.
  const choose = (next) => {
    setStatus(next);
    if (!OWN_PERCENT.has(next)) setPercent('');
    else if (percent === '') setPercent(String(item.percent));
  };
  return html`<td>
      <select
        aria-label=${`${item.name} ${t('status')}`}
        value=${status}
        onChange=${(e) => choose(e.target.value)}
      >
        ${STATUSES.map((s) => html`<option value=${s}>${label(s)}</option>`)}
      </select>
    </td>
    <td>
      <input
        class="percent"
        aria-label=${`${item.name} ${t('percent')}`}
        inputmode="numeric"
        value=${percent}
        onInput=${(e) => setPercent(e.target.value)}
        onKeyDown=${(e) => e.key === 'Enter' && onSave(item, status, percent)}
      />
      <button onClick=${() => onSave(item, status, percent)}>${t('apply')}</button>
      ${errorsFor(errors).map((e) => html`<span class="error" role="alert" title=${e.message}>${userErrorText(e)}</span>`)}
    </td>`;
}
