// Live updates: the page's figures follow figureChanged/initiativeChanged over graphql-ws (same
// origin, /graphql). Polling every 30 s is only the fallback while the WebSocket is down.
import { createClient } from 'graphql-ws';
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { token } from './api.js';
import { locale, t, userErrorText } from './i18n.js';
import { retryDelay } from './read-on.js';

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

export const POLL_MS = 30_000;
/** After events, the rest of the page (status counts, report lines, health) is read once they pause. */
const SETTLE_MS = 1_500;
/** The server allows 20 subscriptions per connection; one tab keeps under it. */
const MAX_SUBSCRIPTIONS = 16;

// `after`: the revision the page's figures are at, so a write that commits while a subscription
// is being set up still comes (from the server's outbox); moved on with each event, so that
// graphql-ws, which sends the same variables again when it reconnects, resumes from there.
const FIGURES = `subscription Figures($key: String!, $nodeIds: [ID!], $after: Int) {
  figureChanged(initiativeKey: $key, nodeIds: $nodeIds, afterRevision: $after) {
    seq revision node { id } after { percent credit counted total } } }`;
// Every write, whatever it changed (an item, a target date, a workstream's name, health…):
// the page is read again once events pause.
const CHANGES = `subscription Changes($key: String!, $after: Int) {
  initiativeChanged(initiativeKey: $key, afterRevision: $after) { seq revision } }`;

// --- the connection: one per tab, opened by the first subscription, closed after the last ---

let client = null;
let everConnected = false;
const reconnected = new Set();
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
function follows(query, live) {
  if (live === null) following.delete(query);
  else following.set(query, live);
  show({ pageLive: following.size > 0 && [...following.values()].every(Boolean) });
}

function liveClient() {
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

function useShown() {
  const [state, setState] = useState(shown);
  useEffect(() => (watchers.add(setState), () => watchers.delete(setState)), []);
  return state;
}

// --- figures in place ---

/**
 * The data with the progress of the node `id` (anywhere in it) set to `after`'s figures; the same
 * object where nothing matched, new objects along the path where something did.
 */
export function patchFigure(data, id, after) {
  if (Array.isArray(data)) {
    let changed = false;
    const out = data.map((d) => {
      const next = patchFigure(d, id, after);
      changed ||= next !== d;
      return next;
    });
    return changed ? out : data;
  }
  if (data === null || typeof data !== 'object') return data;
  let out = data;
  if (data.id === id && data.progress) {
    const progress = { ...data.progress };
    for (const field of ['percent', 'credit', 'counted', 'total'])
      if (field in progress) progress[field] = after[field];
    out = { ...data, progress };
  }
  for (const [k, v] of Object.entries(data)) {
    if (k === 'progress' || v === null || typeof v !== 'object') continue;
    const next = patchFigure(v, id, after);
    if (next !== v) out = out === data ? { ...data, [k]: next } : Object.assign(out, { [k]: next });
  }
  return out;
}

/** Beside data still shown: its last read again failed, and is being tried again. */
export function ReadFailed({ error }) {
  return error ? html`<p class="error stale" role="status">${t('readFailed')}${error}</p>` : null;
}

/**
 * Runs `load` now and keeps its answer current: `watch(data)` names the initiatives to follow
 * (`[{ key, nodeIds?, revision? }]`, or null to poll), with the revision the data's figures are
 * at (`Initiative.revision`): the subscriptions start after it, so no write is missed between
 * the read and the subscribe. Each figureChanged sets that node's figures in place; after events
 * pause the page is read again for what events do not carry. A `seq` gap, a reconnect or a
 * subscription the server ends or cannot resume reads it again at once (and subscribes again
 * after the revision read). While the WebSocket is down, or a subscription is refused, or more
 * initiatives are on screen than one connection may follow, it polls every 30 s.
 * Returns [{ data, error }, refresh].
 */
export function useLiveQuery(load, deps, watch) {
  const [state, setState] = useState({ data: null, error: null });
  const [bump, setBump] = useState(0);
  const [refused, setRefused] = useState(false);
  const [round, setRound] = useState(0); // a new round subscribes again
  const { connection } = useShown();
  const targets = state.data ? watch(state.data) : null;
  // Which subscriptions: a new revision alone (every read has one) keeps them.
  const targetKey = JSON.stringify(targets?.map(({ key, nodeIds }) => ({ key, nodeIds })) ?? null);
  const subscribed = targets !== null && targets.length * 2 <= MAX_SUBSCRIPTIONS && !refused;
  const live = subscribed && connection === 'live';

  // Per initiative: the highest revision an event brought, and the revision of the data shown.
  const eventRevision = useRef(new Map());
  const shownRevision = useRef(new Map());
  // Set when a failed read left the page polling (see `again`): the next good read lifts it,
  // unless the server refused a subscription outright (too many, not found) meanwhile.
  const pollingAfterFailedRead = useRef(false);
  const refusedForGood = useRef(false);

  // Reads the page; resolves true once an answer at least as new as this read is shown.
  const reader = useRef(async () => false);
  const run = () => reader.current();
  useEffect(() => {
    let on = true;
    // Reads can overlap (a reconnect, events pausing): an answer older than the one shown is
    // dropped, or the page would go back to figures the subscriptions have moved past.
    let started = 0;
    let shownRead = 0;
    reader.current = () => {
      const n = ++started;
      return load().then(
        (data) => {
          // Not shown, but not failed: newer data (or a newer reader) is in charge.
          if (!on || n < shownRead) return true;
          shownRead = n;
          setState({ data, error: null });
          if (pollingAfterFailedRead.current) {
            pollingAfterFailedRead.current = false;
            if (!refusedForGood.current) setRefused(false);
          }
          const read = watch(data) ?? [];
          for (const { key, revision } of read) shownRevision.current.set(key, revision ?? 0);
          // Read before an event already shown had committed (a read that started before
          // it): its figures are older than that event's, so read again, once. A read that is
          // still older started after the event: the revision went back (a restored database).
          const behind = read.filter(
            ({ key, revision }) =>
              typeof revision === 'number' && revision < (eventRevision.current.get(key) ?? 0),
          );
          for (const { key, revision } of behind) eventRevision.current.set(key, revision);
          if (behind.length > 0) setTimeout(run, 0);
          return true;
        },
        (e) => {
          if (!on || n < shownRead) return true; // a newer answer is shown
          // The data shown stays (with the error beside it), and the read is tried again:
          // a live page does not poll, so nothing else would bring it back.
          setState((s) => ({ ...s, error: userErrorText(e) }));
          clearTimeout(retry);
          retry = setTimeout(() => n === started && run(), retryDelay(failures++));
          return false;
        },
      );
    };
    let retry;
    let failures = 0;
    const succeeded = reader.current;
    reader.current = () => succeeded().then((ok) => (ok && (failures = 0), ok));
    run();
    return () => ((on = false), clearTimeout(retry));
  }, [...deps, bump]);

  // Polling: only while this query is not live.
  const self = useRef({});
  useEffect(() => () => follows(self.current, null), []);
  useEffect(() => {
    follows(self.current, live);
    if (live) return;
    const timer = setInterval(run, POLL_MS);
    return () => clearInterval(timer);
  }, [live]);

  useEffect(() => {
    if (!subscribed) return;
    const seqs = new Map();
    let settle;
    let stopped = false;
    let ended = false;
    const readSoon = () => (clearTimeout(settle), (settle = setTimeout(run, SETTLE_MS)));
    // A subscription numbers its events 1, 2, 3…: anything else means some were missed.
    const missed = (name, seq) => {
      const last = seqs.get(name) ?? 0;
      seqs.set(name, seq);
      return seq !== last + 1;
    };
    // Events were missed and cannot be had again: read the page, then subscribe once more,
    // after the revision of what was read (one new round for all of them). A read that fails
    // leaves the page polling, as a refused subscription does, rather than subscribing again
    // after a revision the server has already refused.
    const again = () => {
      if (stopped || ended) return;
      ended = true;
      reader.current().then((read) => {
        if (stopped) return;
        if (read) setRound((r) => r + 1);
        else {
          pollingAfterFailedRead.current = true;
          setRefused(true);
        }
      });
    };
    // What the server says when it cannot resume after `after`: the backlog is gone, or the
    // revision is beyond its current one (a database restored while the tab stayed open).
    const cannotResume = (e) =>
      e?.extensions?.code === 'RESUME_UNAVAILABLE' ||
      (e?.extensions?.code === 'BAD_USER_INPUT' && e.extensions.argument === 'afterRevision');
    const sink = (name, key, own, onEvent) => ({
      next: ({ data }) => {
        if (!data) return;
        const event = Object.values(data)[0];
        own.after = Math.max(own.after, event.revision);
        eventRevision.current.set(
          key,
          Math.max(eventRevision.current.get(key) ?? 0, event.revision),
        );
        if (missed(name, event.seq)) run();
        else onEvent(event);
      },
      error: (errors) => {
        if ([errors].flat().some(cannotResume)) return again();
        // A subscribe spends from the token's rate limit: over it, try again when it says.
        const limited = [errors].flat().find((e) => e?.extensions?.code === 'RATE_LIMITED');
        if (limited) return void setTimeout(again, (limited.extensions.retryAfter ?? 5) * 1000);
        refusedForGood.current = true;
        setRefused(true);
      },
      // The server ended it (a subscriber that fell 1,000 events behind): events were missed.
      complete: () => again(),
    });
    const c = liveClient();
    const stops = targets.flatMap(({ key, nodeIds, revision }) => {
      // One variables object per subscription (see FIGURES), serialized again on a reconnect:
      // `after` is then the last revision its own events brought or the page's data is at,
      // whichever is later (a subscription with few events would otherwise resume far back).
      const follow = (variables, own) =>
        Object.defineProperty(variables, 'after', {
          enumerable: true,
          get: () =>
            revision === null || revision === undefined
              ? null
              : Math.max(own.after, shownRevision.current.get(key) ?? 0),
        });
      const ownFigures = { after: revision ?? 0 };
      const ownChanges = { after: revision ?? 0 };
      const figures = follow({ key, nodeIds: nodeIds ?? null }, ownFigures);
      const changes = follow({ key }, ownChanges);
      return [
        c.subscribe(
          { query: FIGURES, variables: figures },
          sink(`f:${key}`, key, ownFigures, (e) => {
            if (!e.after) return run(); // the node is gone: the tree changed shape
            setState((s) => (s.data ? { ...s, data: patchFigure(s.data, e.node.id, e.after) } : s));
            readSoon();
          }),
        ),
        c.subscribe(
          { query: CHANGES, variables: changes },
          sink(`c:${key}`, key, ownChanges, readSoon),
        ),
      ];
    });
    // After a reconnect the subscriptions start again at seq 1, resumed after the last revision
    // each saw; read the page too, for what events do not carry.
    const resumed = () => (seqs.clear(), run());
    reconnected.add(resumed);
    return () => {
      stopped = true;
      reconnected.delete(resumed);
      clearTimeout(settle);
      for (const stop of stops) stop();
    };
  }, [targetKey, subscribed, round]);

  return [state, () => setBump((b) => b + 1)];
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
