import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { droppedToken, gql, HOME, token, VIEWER } from './api.js';
import { drafts } from './drafts.js';
import { Bar, Legend } from './bar.js';
import { Health } from './health.js';
import { gqlLocale, locale, pct, setLocale, t, userErrorText } from './i18n.js';
import { InitiativePage } from './initiative.js';
import { LiveBadge } from './live-connection.js';
import { ReadFailed, useLiveQuery } from './live-updates.js';

function Home() {
  const [{ data, error }] = useLiveQuery(
    () => gql(HOME, { locale: gqlLocale() }),
    [],
    (d) => d.initiatives.map((i) => ({ key: i.key, nodeIds: [i.id], revision: i.revision })),
  );
  if (!data) return error ? html`<p class="error">${error}</p>` : html`<p>…</p>`;
  return html`<${ReadFailed} error=${error} />
    <ul class="cards">
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
              ${[i.phase, i.targetDate ? `${t('target')} ${i.targetDate}` : null]
                .filter(Boolean)
                .map((w) => `${w} · `)}${t('health')}: <${Health} health=${i.health} />
            </p>
          </li>`,
      )}
    </ul>`;
}

/**
 * The tab's token. A pasted one is checked (`viewer`) before it is kept, so a mistyped token says
 * so here instead of turning every read into an error; once kept, the box names it and its role.
 */
function TokenBox() {
  const [value, setValue] = useState('');
  const [who, setWho] = useState(null);
  const [problem, setProblem] = useState(() => {
    const why = droppedToken.get();
    return why ? `${t('tokenDropped')}${why}` : null;
  });
  const has = Boolean(token.get());
  useEffect(() => {
    if (has)
      gql(VIEWER).then(
        (d) => setWho(d.viewer),
        () => setWho(null),
      );
  }, []);
  const save = async (e) => {
    e.preventDefault();
    // Pasted from a header or a curl line, the token may come with its `Bearer ` in front; from
    // a chat or a document, with invisible characters (zero-width spaces, a BOM) a token never has.
    const candidate = value
      .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
      .trim()
      .replace(/^bearer\s+/i, '');
    if (!candidate) return;
    try {
      await gql(VIEWER, {}, { authorization: `Bearer ${candidate}` });
    } catch (err) {
      return setProblem(`${t('tokenRefused')}${userErrorText(err)}`);
    }
    token.set(candidate);
    location.reload();
  };
  if (has)
    return html`<form class="token" onSubmit=${(e) => e.preventDefault()}>
      <span class="muted">
        ${t('token')}: ${who ? t('signedIn', who.name, t(`role_${who.role}`)) : '••••••'}
      </span>
      <button type="button" onClick=${() => (token.set(null), location.reload())}>
        ${t('forget')}
      </button>
    </form>`;
  return html`<form class="token" onSubmit=${save}>
    <label
      >${t('token')}
      <input
        type="password"
        autocomplete="off"
        placeholder=${t('paste')}
        value=${value}
        onInput=${(e) => (setValue(e.target.value), setProblem(null))}
    /></label>
    <button>${t('save')}</button>
    ${problem ? html`<span class="error" role="alert">${problem}</span>` : null}
    ${drafts.count() > 0 ? html`<span class="muted kept-drafts">${t('keptDrafts', drafts.count())}</span>` : null}
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
