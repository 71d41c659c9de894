// The page's one graphql-ws connection (same origin, /graphql): opened by the first
// subscription, closed after the last, retried with backoff while the server is away; and the
// header's note of whether the page follows it.
import { createClient } from 'graphql-ws';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { token } from './api.js';
import { locale, t } from './i18n.js';

const TEXT = {
  'zh-CN': {
    live: '实时',
    liveTitle: '数字随每次写入即时更新',
    liveDown: '实时连接不可用，每 30 秒刷新',
  },
  en: {
    live: 'Live',
    liveTitle: 'Figures update as each write commits',
    liveDown: 'Live connection unavailable: refreshes every 30 s',
  },
};
const say = (key) => TEXT[locale()][key];

/** The server allows 20 subscriptions per connection; one tab keeps under it. */
export const MAX_SUBSCRIPTIONS = 16;

let client = null;
let everConnected = false;
/** Called when the connection comes back after it was lost (each live query reads again). */
export const reconnected = new Set();
// What the header shows: the socket ('idle' | 'live' | 'down') and whether the page follows it.
let shown = { connection: 'idle', pageLive: false };
const watchers = new Set();

function show(change) {
  const next = { ...shown, ...change };
  if (next.connection === shown.connection && next.pageLive === shown.pageLive) return;
  shown = next;
  for (const w of watchers) w(next);
}
const setConnection = (connection) => show({ connection });

// Whether each mounted query follows events: the page is live only when all of them do (one
// left polling, a burn-up whose read failed say, lags a write by up to 30 s).
const following = new Map();
export function follows(query, live) {
  if (live === null) following.delete(query);
  else following.set(query, live);
  show({ pageLive: following.size > 0 && [...following.values()].every(Boolean) });
}

export function liveClient() {
  if (client) return client;
  client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    // The tab's token, as the HTTP requests send it; none for anonymous (loopback) reads.
    connectionParams: () => {
      const value = token.get();
      return value ? { authorization: `Bearer ${value}` } : {};
    },
    lazyCloseTimeout: 2_000, // moving between pages keeps the socket
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // 1, 2, 4 … up to 30 s, with jitter so a restarted server is not met by every tab at once.
    retryWait: (retries) =>
      new Promise((ok) =>
        setTimeout(ok, Math.min(30_000, 1_000 * 2 ** retries) * (0.5 + Math.random() / 2)),
      ),
    on: {
      connected: () => {
        setConnection('live');
        if (everConnected) for (const r of reconnected) r();
        everConnected = true;
      },
      // 1000 is the client's own close once nothing is subscribed: idle, not down.
      closed: (event) => setConnection(event?.code === 1000 ? 'idle' : 'down'),
      error: () => setConnection('down'),
    },
  });
  return client;
}

export function useShown() {
  const [state, setState] = useState(shown);
  useEffect(() => (watchers.add(setState), () => watchers.delete(setState)), []);
  return state;
}

/** The header's note: live, or refreshed every 30 s (and why, when the WebSocket is down). */
export function LiveBadge() {
  const { connection, pageLive } = useShown();
  if (pageLive)
    return html`<span class="muted live" title=${say('liveTitle')}
      ><span class="live-dot" aria-hidden="true">●</span> ${say('live')}</span
    >`;
  return html`<span class="muted polling"
    >${connection === 'down' ? say('liveDown') : t('refreshed')}</span
  >`;
}
