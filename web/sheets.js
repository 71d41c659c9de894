import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { authHeaders, reach, token } from './api.js';
import { DOWNLOAD_ERRORS, t, userErrorText } from './i18n.js';

async function download(key, format) {
  const res = await reach(`/api/export?initiative=${encodeURIComponent(key)}&format=${format}`, {
    headers: authHeaders(),
  });
  if (!res.ok) throw new Error(await refusal(res, DOWNLOAD_ERRORS));
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = `${key}.${format}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * What a refused request says: the server's first error in the page's language (`words` for
 * what its code means here), or the HTTP status when the answer is not Jindu's JSON (a proxy's
 * 502 page).
 */
async function refusal(res, words) {
  const e = (await res.json().catch(() => null))?.errors?.[0];
  return e
    ? userErrorText({ code: e.extensions?.code, message: e.message }, words)
    : t('serverUnavailable', res.status);
}

/** Rows the preview table lists (a 20,000-row file would make the page crawl). */
const PREVIEW_ROWS = 500;

/** Spreadsheets in and out: download, and upload → preview table → apply (the same import as the CLI). */
export function SheetPanel({ initiativeKey, onApplied, canEdit }) {
  const [file, setFile] = useState(null);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [skipErrors, setSkipErrors] = useState(false);
  // A request under way: Preview and Apply wait for it (a second Apply would race the first).
  const [busy, setBusy] = useState(false);
  const send = async (dryRun) => {
    setBusy(true);
    try {
      await sendNow(dryRun);
    } finally {
      setBusy(false);
    }
  };
  const sendNow = async (dryRun) => {
    setError(null);
    const q = new URLSearchParams({
      initiative: initiativeKey,
      file: file.name,
      dryRun: dryRun ? '1' : '0',
      skipErrors: skipErrors ? '1' : '0',
    });
    let res;
    try {
      res = await reach(`/api/import?${q}`, { method: 'POST', headers: authHeaders(), body: file });
    } catch (err) {
      return setError(err.message); // the connection itself failed
    }
    if (!res.ok) return setError(await refusal(res));
    const body = await res.json().catch(() => null);
    if (body === null) return setError(t('serverUnavailable', res.status));
    setResult(body);
    if (body.applied) onApplied();
  };
  const s = result?.summary;
  const listed = result ? result.rows.filter((r) => r.action !== 'unchanged') : [];
  return html`<section class="sheets">
    <h2>${t('upload')} / ${t('download')}</h2>
    <button onClick=${() => download(initiativeKey, 'xlsx').catch((e) => setError(e.message))}>
      ${t('download')} .xlsx
    </button>
    <button onClick=${() => download(initiativeKey, 'csv').catch((e) => setError(e.message))}>
      ${t('download')} .csv
    </button>
    ${
      canEdit
        ? html`<p>
            <input
              type="file"
              accept=".xlsx,.csv,.txt"
              aria-label=${t('upload')}
              onChange=${(e) => (setFile(e.target.files[0]), setResult(null))}
            />
            <label>
              <input
                type="checkbox"
                checked=${skipErrors}
                onChange=${(e) => (setSkipErrors(e.target.checked), setResult(null))}
              />
              ${t('skipErrors')}
            </label>
            <button disabled=${!file || busy} onClick=${() => send(true)}>${t('preview')}</button>
            <button
              disabled=${!result || result.applied || result.refused || busy}
              onClick=${() => send(false)}
            >
              ${t('apply')}
            </button>
          </p>`
        : html`<p class="muted">${token.get() ? t('readOnly') : t('paste')}</p>`
    }
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      s
        ? html`<p>
              ${t('summary', s)}
              ${result.refused ? `· ${result.refused}` : result.applied ? '· ✓' : ''}
            </p>
            ${
              result.newWorkstreams.length > 0
                ? html`<p class="new-workstreams">
                    ${t(result.applied ? 'createdWorkstreams' : 'newWorkstreams')}：${result.newWorkstreams.join('、')}
                  </p>`
                : null
            }
            ${
              result.ignoredColumns?.length > 0
                ? html`<p class="ignored-columns">
                    ${t('ignoredColumns')}：${result.ignoredColumns.join('、')}
                  </p>`
                : null
            }
            ${
              listed.length > PREVIEW_ROWS
                ? html`<p class="muted">${t('previewCut', PREVIEW_ROWS, listed.length)}</p>`
                : null
            }
            <div class="scroll-x">
              <table class="preview">
                <thead>
                  <tr>
                    <th>${t('row')}</th>
                    <th>${t('action')}</th>
                    <th>${t('workstream')}</th>
                    <th>${t('item')}</th>
                    <th>${t('changes')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${listed.slice(0, PREVIEW_ROWS).map(
                    (r) =>
                      html`<tr class=${`a-${r.action}`}>
                        <td>${r.row}</td>
                        <td>${t(`action_${r.action}`) ?? r.action}</td>
                        <td>${r.path}</td>
                        <td>${r.name}</td>
                        <td>
                          ${r.changes.join('，')}${r.errors.map((e) => `[${e.column}] ${e.message}`).join('；')}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : null
    }
  </section>`;
}
