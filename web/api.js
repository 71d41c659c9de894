import { t } from './i18n.js';

// GraphQL over fetch. The token lives in sessionStorage only: it is gone when the tab closes.
const TOKEN_KEY = 'jindu.token';
const DROPPED_KEY = 'jindu.tokenDropped';
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => {
    if (!t) return sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.setItem(TOKEN_KEY, t);
    sessionStorage.removeItem(DROPPED_KEY);
  },
};

/** Why the tab's token was dropped (revoked, expired), until another is kept: the box says so. */
export const droppedToken = { get: () => sessionStorage.getItem(DROPPED_KEY) };

export function authHeaders() {
  const t = token.get();
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** An Error the page made, already in the page's language (no server code to translate). */
export const pageError = (message, code) =>
  Object.assign(new Error(message), { code, inPageLanguage: true });

/**
 * fetch, where a request that got no answer at all (the server down, the network gone) is an
 * Error in the page's language, not the browser's own words ("Failed to fetch"). Headers are
 * checked first: fetch refuses one it cannot send (a pasted token holding a full-width or
 * invisible character) with the same TypeError as a network failure.
 */
export async function reach(url, init = {}) {
  let headers;
  try {
    headers = new Headers(init.headers);
  } catch {
    throw pageError(t('unsendableHeader'), 'BAD_HEADER');
  }
  try {
    return await fetch(url, { ...init, headers });
  } catch {
    throw pageError(t('serverUnreachable'), 'NETWORK');
  }
}

/**
 * A GraphQL request. A failure is an Error with the first error's `code` (FORBIDDEN,
 * UNAUTHENTICATED…) when the server said one; an answer that is not JSON (a proxy's 502 page)
 * says the HTTP status instead of a JSON parser's complaint.
 */
export async function gql(query, variables = {}, headers = authHeaders()) {
  const res = await reach('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => null);
  // The kept token is refused on a read (revoked or expired since it was pasted): every later
  // read would fail with it, and the live connection too. It is dropped and the page starts
  // again without it (anonymous reads where the server allows them), with the reason beside the
  // token box. A refused write is said at its row instead, keeping what was typed.
  const kept = token.get();
  const read = !/^\s*mutation\b/.test(query);
  if (res.status === 401 && read && kept && headers.authorization === `Bearer ${kept}`) {
    token.set(null);
    sessionStorage.setItem(DROPPED_KEY, body?.errors?.[0]?.message ?? String(res.status));
    location.reload();
  }
  if (body === null) throw pageError(t('serverUnavailable', res.status), 'HTTP');
  if (body.errors?.length)
    throw Object.assign(new Error(body.errors.map((e) => e.message).join('；')), {
      code: body.errors[0].extensions?.code,
    });
  return body.data;
}

// credit and counted: the page prints the percent from them, as the reports do (i18n.js pct).
const FIGURE = 'percent credit counted total byStatus(locale: $locale) { status label count }';
const NODE = `id name phase manualPercent progress { ${FIGURE} }`;
// Six levels at a read (a query's depth is limited, a tree may be 30 deep): the sixth level's
// children are read as ids only, which says they are there; opening such a node reads the
// next six levels below it (SUBTREE).
let tree = `${NODE} children { id }`;
for (let i = 0; i < 5; i++) tree = `${NODE} children { ${tree} }`;
export const SUBTREE = `query Subtree($id: ID!, $locale: Locale!) { node(id: $id) { ... on Workstream {
  children { ${tree} } } } }`;

const HEALTH = 'health { status reason(locale: $locale) source targetDate }';
export const HOME = `query Home($locale: Locale!) { initiatives { id key name phase objective targetDate revision ${HEALTH} progress { ${FIGURE} } } }`;
export const INITIATIVE = `query Initiative($key: String!, $locale: Locale!) {
  initiative(key: $key) { id key name phase targetDate revision ${HEALTH} progress { ${FIGURE} } reportLines(locale: $locale)
    stalledItems(first: 50) { nodes { days lastChangeAt item { id name status percent workstream { name } } } }
    workstreams { ${tree} } }
  weeklyReport(locale: $locale)
  viewer { canEdit(initiativeKey: $key) } }`;
export const ITEMS = `query Items($id: ID!, $after: String) { node(id: $id) { ... on Workstream {
  items(first: 100, after: $after) { nodes { id name status percent version stage stageNote }
    pageInfo { hasNextPage endCursor } } } } }`;
export const VIEWER = '{ viewer { name role initiativeKey } }';
export const EXPLAIN = `query Explain($id: ID!, $locale: Locale!) { node(id: $id) { ... on Workstream { progress { explain(locale: $locale) } } } }`;
export const SET_ONE = `mutation Set($input: SetItemStatusInput!) { setItemStatus(input: $input) {
  item { id status percent version } userErrors { code message field } } }`;
export const SET_MANY = `mutation SetMany($input: SetItemStatusesInput!) { setItemStatuses(input: $input) {
  items { id status percent version } userErrors { code message field } } }`;
// The burn-up: the series from `from` to now, and the forecast whose P50–P85 band it draws;
// the series and forecast are read after the tree `revision` is of, so they are at least as new
// (with several instances, as far as their clocks agree: a series ends at the reader's now).
export const BURNUP = `query BurnUp($key: String!, $from: DateTimeISO!, $locale: Locale!) { initiative(key: $key) {
  id revision targetDate progressHistory(from: $from, every: WEEK) { at percent credit counted total }
  forecast { status p50 p85 p95 weeksOfHistory explain(locale: $locale) } } }`;
