import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { EXPLAIN, gql, ITEMS, SET_MANY, SET_ONE, SUBTREE } from './api.js';
import { Bar, Legend } from './bar.js';
import { gqlLocale, pct, STATUSES, t, userErrorText } from './i18n.js';
import { retryDelay, useReadOn } from './read-on.js';
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
export function TreeNode({ node, onChanged, canEdit, revision }) {
  const [open, setOpen] = useState(expanded().has(node.id));
  const [explain, setExplain] = useState(null);
  const leaf = node.children === undefined || node.children.length === 0;
  const toggle = () => (remember(node.id, !open), setOpen(!open));
  const showExplain = async () => {
    if (explain) return setExplain(null);
    try {
      setExplain((await gql(EXPLAIN, { id: node.id, locale: gqlLocale() })).node.progress.explain);
    } catch (err) {
      setExplain(userErrorText(err));
    }
  };
  // A disclosure list (buttons that say whether they are open), not an ARIA tree: a tree would
  // owe the arrow-key navigation of one. A leaf with no item (a percent set by hand) has nothing
  // to open.
  const empty = leaf && node.progress.total === 0;
  return html`<li class="node">
    <div class="row">
      ${
        empty
          ? html`<span class="toggle" aria-hidden="true"></span>`
          : html`<button
              class="toggle"
              aria-label=${node.name}
              aria-expanded=${open}
              onClick=${toggle}
            >
              ${open ? '▾' : '▸'}
            </button>`
      }
      <span class="name">${node.name}</span>
      ${node.phase ? html`<span class="phase">${node.phase}</span>` : null}
      <${Bar} name=${node.name} progress=${node.progress} />
      <strong class="pct">${pct(node.progress)}</strong>${' '}
      <span class="muted">
        ${node.manualPercent !== null && node.progress.total === 0 ? t('manualFigure') : t('total', node.progress.total)}
      </span>
      <button class="link" aria-label=${t('explainOf', node.name)} onClick=${showExplain}>
        ${t('explain')}
      </button>
    </div>
    <${Legend} byStatus=${node.progress.byStatus} />
    ${explain ? html`<pre class="explain">${explain}</pre>` : null}
    ${
      open && !leaf && node.children[0].name === undefined
        ? html`<${Subtree}
            id=${node.id}
            onChanged=${onChanged}
            canEdit=${canEdit}
            revision=${revision}
          />`
        : open && !leaf
          ? html`<ul>
              ${node.children.map((c) => html`<${TreeNode} node=${c} onChanged=${onChanged} canEdit=${canEdit} revision=${revision} />`)}
            </ul>`
          : null
    }
    ${open && leaf && !empty ? html`<${Items} workstreamId=${node.id} onChanged=${onChanged} canEdit=${canEdit} labels=${node.progress.byStatus} revision=${revision} />` : null}
  </li>`;
}

/**
 * The children of a node below the levels the page read with the initiative: read when it is
 * opened, and again when the initiative's revision moves (live events set the figures of the
 * levels read with the page only).
 */
function Subtree({ id, onChanged, canEdit, revision }) {
  // A failed read keeps the levels shown, says so and is tried again (read-on.js): it used to
  // leave them as they were, silently, until the next revision.
  const { data: children, error } = useReadOn(
    () => gql(SUBTREE, { id, locale: gqlLocale() }).then((d) => d.node?.children ?? []),
    [id, revision],
  );
  const failed = error ? html`<p class="error" role="alert">${t('readFailed')}${error}</p>` : null;
  if (children === null) return failed ?? html`<p class="muted">…</p>`;
  return html`${failed}
    <ul>
      ${children.map((c) => html`<${TreeNode} node=${c} onChanged=${onChanged} canEdit=${canEdit} revision=${revision} />`)}
    </ul>`;
}

/** Pages of a leaf's items read at most, 100 each: beyond, the sheet lists them all. */
const MAX_ITEM_PAGES = 20;

/** A leaf's items, page after page; `more` when there were more than the page shows. */
async function loadItems(workstreamId) {
  const rows = [];
  let after = null;
  for (let n = 0; n < MAX_ITEM_PAGES; n++) {
    const page = (await gql(ITEMS, { id: workstreamId, after })).node.items;
    rows.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
  return Object.assign(rows, { more: true });
}

const errorsFor = (errs, prefix) =>
  errs.filter((e) => !prefix || (e.field ?? []).join('.').startsWith(prefix));

/** A leaf's items, editable in place with a token; several can be set at once (one setItemStatuses). */
function Items({ workstreamId, onChanged, canEdit, labels, revision }) {
  const [items, setItems] = useState(null);
  const [errors, setErrors] = useState({});
  const [picked, setPicked] = useState(new Set());
  const [bulk, setBulk] = useState('DONE');
  const [failed, setFailed] = useState(null);
  // Reads can overlap (a save's and a live event's): only the latest one started is shown.
  const reads = useRef(0);
  // A failed read is tried again, as its message says (read-on.js's delays), until one succeeds.
  const failures = useRef(0);
  const retry = useRef(null);
  useEffect(() => () => clearTimeout(retry.current), []);
  const load = () => {
    const n = ++reads.current;
    clearTimeout(retry.current);
    return loadItems(workstreamId).then(
      (rows) => {
        if (n !== reads.current) return;
        failures.current = 0;
        setItems(rows);
        setFailed(null);
      },
      (err) => {
        if (n !== reads.current) return;
        setFailed(userErrorText(err));
        retry.current = setTimeout(load, retryDelay(failures.current++));
      },
    );
  };
  // The initiative's revision moved (a write here or elsewhere, seen live): the rows are read
  // again, so each shows the item as it is and its next save expects the version it now has.
  // Every write moves it, a rename or a note too, which move no figure. The figures are not
  // watched: a live event sets them in place before the page reads the new revision, and the
  // rows were read once for each.
  const seen = useRef(revision);
  useEffect(() => {
    if (seen.current === revision) return;
    seen.current = revision;
    if (items !== null) load();
  }, [revision]);
  const loading = useRef(false);
  if (items === null) {
    if (failed) return html`<p class="error" role="alert">${t('readFailed')}${failed}</p>`;
    if (!loading.current) {
      loading.current = true;
      load().finally(() => (loading.current = false));
    }
    return html`<p class="muted">…</p>`;
  }
  /** An item changed since the rows were read: read them again, and keep the message. */
  const staleAfter = async (userErrors) => {
    if (userErrors.some((e) => e.code === 'STALE_VERSION')) await load();
  };
  /**
   * The rows of items a write here changed, as its answer has them. The write moves the
   * initiative's revision, so the rows are read again once the page has the new one: reading
   * them here too read the saving leaf twice per save.
   */
  const showWritten = (written) => {
    const byId = new Map(written.map((i) => [i.id, i]));
    const merged = (row) => (byId.has(row.id) ? { ...row, ...byId.get(row.id) } : row);
    setItems((rows) => Object.assign(rows.map(merged), { more: rows.more }));
  };
  const label = (s) => labels.find((l) => l.status === s)?.label ?? s;
  /**
   * `item`: the item as the user saw it when they began the edit (its version is the one the
   * write expects). `saved`: called once the write went through; `stale`: once it was refused
   * because the item changed since (the row then shows it as it now is).
   */
  const save = async (item, status, percentText, { saved, stale } = {}) => {
    if (!/^\s*-?\d*\s*$/.test(percentText))
      return setErrors({ ...errors, [item.id]: [{ message: `${t('percent')}: ${percentText}?` }] });
    // Into 处理中 or 暂停 from another status, the percent is the user's to give: left empty,
    // the server would keep the old one (a done item would be in progress at 100%).
    if (OWN_PERCENT.has(status) && status !== item.status && percentText.trim() === '')
      return setErrors({ ...errors, [item.id]: [{ message: t('needPercent') }] });
    const percent = percentText.trim() === '' ? null : Number(percentText);
    const input = { itemId: item.id, status, percent, expectedVersion: item.version };
    let r;
    try {
      r = (await gql(SET_ONE, { input })).setItemStatus;
    } catch (err) {
      // Refused outright (a viewer's token, a lost connection): said at the row, not lost.
      return setErrors({ ...errors, [item.id]: [{ code: err.code, message: err.message }] });
    }
    setErrors({ ...errors, [item.id]: r.userErrors });
    if (r.userErrors.some((e) => e.code === 'STALE_VERSION')) stale?.();
    if (r.userErrors.length > 0) return staleAfter(r.userErrors);
    saved?.({ ...item, ...r.item });
    showWritten([r.item]);
    onChanged();
  };
  const setAll = async () => {
    const updates = items
      .filter((i) => picked.has(i.id))
      .map((i) => ({ itemId: i.id, status: bulk, expectedVersion: i.version }));
    let r;
    try {
      r = (await gql(SET_MANY, { input: { updates } })).setItemStatuses;
    } catch (err) {
      return setErrors({ ...errors, bulk: [{ code: err.code, message: err.message }] });
    }
    setErrors({ ...errors, bulk: r.userErrors });
    if (r.userErrors.length > 0) return staleAfter(r.userErrors);
    setPicked(new Set());
    showWritten(r.items);
    onChanged();
  };
  return html`<div class="scroll-x">
      <table class="items">
        <thead>
          <tr>
            ${canEdit ? html`<th scope="col"><span class="visually-hidden">${t('pick')}</span></th>` : null}
            <th scope="col">${t('item')}</th>
            <th scope="col">${t('status')}</th>
            <th scope="col">${t('percent')}</th>
          </tr>
        </thead>
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
                          disabled=${item.stage !== null}
                          title=${item.stage !== null ? t('stagedOnly') : undefined}
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
                <td class="item-name">${item.name} <${StageCell} item=${item} /></td>
                ${
                  canEdit && item.stage === null
                    ? html`<${ItemEditor}
                        key=${item.id}
                        item=${item}
                        label=${label}
                        onSave=${save}
                        errors=${errors[item.id] ?? []}
                      />`
                    : html`<td title=${canEdit ? t('stagedOnly') : undefined}>
                          ${label(item.status)}
                        </td>
                        <td title=${NO_PERCENT.has(item.status) ? t('noOwnPercent') : undefined}>
                          ${shownPercent(item)}
                        </td>`
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${items.more ? html`<p class="muted">${t('moreItems', items.length)}</p>` : null}
    ${failed ? html`<p class="error" role="alert">${t('readFailed')}${failed}</p>` : null}
    ${
      canEdit && picked.size > 0
        ? html`<div class="bulk">
            ${t('selected', picked.size)}
            <select
              aria-label=${t('bulkStatus')}
              value=${bulk}
              onChange=${(e) => setBulk(e.target.value)}
            >
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
  const shown = (i) => (NO_PERCENT.has(i.status) ? '' : String(i.percent));
  const [status, setStatus] = useState(item.status);
  const [percent, setPercent] = useState(shown(item));
  // Edited and not yet saved: a re-read (a write seen live) keeps what the user typed, and the
  // item as it was when the edit began (`base`), whose version the save expects: saving with
  // the re-read version wrote over a colleague's change the user never saw. An untouched row
  // shows the item as it now is.
  const base = useRef(null);
  const latest = useRef(item);
  latest.current = item;
  const touch = () => (base.current ??= item);
  const showCurrent = () => {
    base.current = null;
    setStatus(latest.current.status);
    setPercent(shown(latest.current));
  };
  useEffect(() => {
    if (base.current === null) showCurrent();
  }, [item.version]);
  // A status whose percent is fixed (完成 100, 未启动 0…) takes the server's: the field empties,
  // so choosing 完成 on an item at 90% does not send 90 with it. Going back to a status with a
  // percent of its own starts from the item's own percent only if it had one (reopening a done
  // item does not offer 100).
  const choose = (next) => {
    touch();
    setStatus(next);
    if (!OWN_PERCENT.has(next)) setPercent('');
    else if (!OWN_PERCENT.has(status))
      setPercent(OWN_PERCENT.has(item.status) ? String(item.percent) : '');
  };
  // Once saved, the row is no longer the user's edit: the re-read item shows as it now is. So
  // too once refused as stale: the row shows what the colleague set, and the message asks to
  // check it and apply again. What was typed while the save was under way is a new edit, begun
  // from the version just written: it used to be replaced by the saved value.
  const draft = useRef(null);
  draft.current = { status, percent };
  const save = () => {
    const sent = draft.current;
    onSave(base.current ?? item, status, percent, {
      saved: (written) => {
        const now = draft.current;
        base.current = now.status === sent.status && now.percent === sent.percent ? null : written;
      },
      stale: showCurrent,
    });
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
        onInput=${(e) => (touch(), setPercent(e.target.value))}
        onKeyDown=${(e) => e.key === 'Enter' && save()}
      />
      <button aria-label=${t('applyTo', item.name)} onClick=${save}>${t('apply')}</button>
      ${errorsFor(errors).map((e) => html`<span class="error" role="alert" title=${e.message}>${userErrorText(e)}</span>`)}
    </td>`;
}
