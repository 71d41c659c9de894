import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { EXPLAIN, gql, SUBTREE } from './api.js';
import { Bar, Legend } from './bar.js';
import { gqlLocale, pct, t, userErrorText } from './i18n.js';
import { Items } from './items.js';
import { useReadOn } from './read-on.js';

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
