import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { drafts } from './drafts.js';
import { STATUSES, t, userErrorText } from './i18n.js';

/** A write's user errors, those on a field under `prefix` when given. */
const errorsFor = (errs, prefix) =>
  errs.filter((e) => !prefix || (e.field ?? []).join('.').startsWith(prefix));

/** Statuses whose percent is the item's own; the others' percent is fixed by the status. */
export const OWN_PERCENT = new Set(['IN_PROGRESS', 'PAUSED']);
/**
 * Statuses whose stored percent means nothing: the rollup policy says what they count for
 * (by default in full, "no work left"), so a 可下线 item showed "0%" while it counted as done.
 */
export const NO_PERCENT = new Set(['DECOMMISSIONABLE', 'CANCELLED']);
export const shownPercent = (item) => (NO_PERCENT.has(item.status) ? '—' : `${item.percent}%`);

export function ItemEditor({ item, label, onSave, errors }) {
  const shown = (i) => (NO_PERCENT.has(i.status) ? '' : String(i.percent));
  // A draft kept from before a reload (drafts.js) is shown again, from the item it began from.
  const [restored] = useState(() => drafts.get(item.id));
  const [status, setStatus] = useState(restored?.status ?? item.status);
  const [percent, setPercent] = useState(restored?.percent ?? shown(item));
  // Edited and not yet saved: a re-read (a write seen live) keeps what the user typed, and the
  // item as it was when the edit began (`base`), whose version the save expects: saving with
  // the re-read version wrote over a colleague's change the user never saw. An untouched row
  // shows the item as it now is.
  const base = useRef(restored ? { ...item, ...restored.from } : null);
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
  useEffect(() => {
    const from = base.current;
    if (from === null) drafts.drop(item.id);
    else
      drafts.keep(item.id, {
        status,
        percent,
        from: { status: from.status, percent: from.percent, version: from.version },
      });
  });
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
  // An edit is kept across reloads (drafts.js), so it can be dropped on purpose: 撤销 (or Esc)
  // shows the item as it now is again. A value typed back to the item's own stays an edit.
  const [, rendered] = useState(0);
  const discard = () => {
    showCurrent();
    drafts.drop(item.id);
    rendered((n) => n + 1);
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
        onKeyDown=${(e) => (e.key === 'Enter' ? save() : e.key === 'Escape' && discard())}
      />
      <button aria-label=${t('applyTo', item.name)} onClick=${save}>${t('apply')}</button>
      ${
        base.current !== null
          ? html`<button aria-label=${t('discardEdit', item.name)} onClick=${discard}>
              ${t('discard')}
            </button>`
          : null
      }
      ${errorsFor(errors).map((e) => html`<span class="error" role="alert" title=${e.message}>${userErrorText(e)}</span>`)}
    </td>`;
}
