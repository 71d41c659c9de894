import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { gql, ITEMS, SET_MANY, SET_ONE } from './api.js';
import { STATUSES, t, userErrorText } from './i18n.js';
import { retryDelay } from './read-on.js';
import { ItemEditor, NO_PERCENT, OWN_PERCENT, shownPercent } from './item-editor.js';
import { StageCell } from './report-model.js';

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

/** A leaf's items, editable in place with a token; several can be set at once (one setItemStatuses). */
export function Items({ workstreamId, onChanged, canEdit, labels, revision }) {
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
