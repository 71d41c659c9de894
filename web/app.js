import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { gql, HOME, token } from './api.js';
import { Bar, Legend } from './bar.js';
import { Health } from './health.js';
import { gqlLocale, locale, pct, setLocale, t } from './i18n.js';
import { InitiativePage } from './initiative.js';
import { LiveBadge, useLiveQuery } from './live-updates.js';

function Home() {
  const [{ data, error }] = useLiveQuery(
    () => gql(HOME, { locale: gqlLocale() }),
    [],
    (d) => d.initiatives.map((i) => ({ key: i.key, nodeIds: [i.id], revision: i.revision })),
  );
  if (error) return html`<p class="error">${error}</p>`;
  if (!data) return html`<p>…</p>`;
  return html`<ul class="cards">
    ${data.initiatives.map(
      (i) =>
        html`<li class="card">
          <a href=${`#/i/${encodeURIComponent(i.key)}`}><h2>${i.name}</h2></a>
          <div class="figure">
            <strong class="pct">${pct(i.progress)}</strong>${' '}
            <span>${t('total', i.progress.total)}</span>
          </div>
          <${Bar} name=${i.name} progress=${i.progress} />
          <${Legend} byStatus=${i.progress.byStatus} />
          <p class="muted">
            ${i.phase ?? ''} ${i.targetDate ? `· ${t('target')} ${i.targetDate}` : ''} ·
            ${t('health')}: <${Health} health=${i.health} />
          </p>
        </li>`,
    )}
  </ul>`;
}

function TokenBox() {
  const [value, setValue] = useState(token.get() ? '••••••' : '');
  const has = Boolean(token.get());
  return html`<form
    class="token"
    onSubmit=${(e) => (e.preventDefault(), token.set(value.trim()), location.reload())}
  >
    <label
      >${t('token')}
      <input
        type="password"
        autocomplete="off"
        placeholder=${t('paste')}
        value=${has ? '' : value}
        onInput=${(e) => setValue(e.target.value)}
        disabled=${has}
    /></label>
    ${has ? html`<button type="button" onClick=${() => (token.set(null), location.reload())}>${t('forget')}</button>` : html`<button>${t('save')}</button>`}
  </form>`;
}

function App() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const key = /^#\/i\/(.+)$/.exec(hash)?.[1];
  return html`<header>
      <a href="#/" class="brand">${t('title')}</a>
      <${LiveBadge} />
      <button
        class="lang"
        onClick=${() => (setLocale(locale() === 'en' ? 'zh-CN' : 'en'), location.reload())}
      >
        ${locale() === 'en' ? '中文' : 'English'}
      </button>
      <${TokenBox} />
    </header>
    <main>
      ${key ? html`<${InitiativePage} key=${key} initiativeKey=${decodeURIComponent(key)} />` : html`<${Home} />`}
    </main>`;
}

document.documentElement.lang = locale();
document.title = t('title');
const root = document.getElementById('app');
root.textContent = ''; // the 加载中… placeholder is not Preact's to diff away
render(html`<${App} />`, root);
