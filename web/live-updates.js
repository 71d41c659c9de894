// Live updates: the page's figures follow figureChanged/initiativeChanged over graphql-ws (same
// origin, /graphql). Polling every 30 s is only the fallback while the WebSocket is down.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, userErrorText } from './i18n.js';
import {
  follows,
  liveClient,
  MAX_SUBSCRIPTIONS,
  reconnected,
  useShown,
} from './live-connection.js';
import { patchFigure } from './patch-figure.js';
import { retryDelay } from './read-on.js';

export const POLL_MS = 30_000;
/** After events, the rest of the page (status counts, report lines, health) is read once they pause. */
const SETTLE_MS = 1_500;
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
