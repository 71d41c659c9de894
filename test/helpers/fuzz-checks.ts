/*
 * What the fuzz tests (quality bar R2) look for in an answer: a 5xx, INTERNAL_SERVER_ERROR, an
 * error that is not JSON, or SQL text, a file path or a stack trace that is not an echo of the
 * caller's own input.
 */

/** Text that must never reach a client: database messages, paths, stack frames. */
const LEAKS: [string, RegExp][] = [
  [
    'SQL text',
    /select |insert into|update .* set|delete from|sqlite|postgres|SQLITE_|syntax error at|relation ".*"|constraint failed|violates .* constraint|duplicate key value|out of range for type|invalid input syntax for|invalid byte sequence|MikroORM|knex|kysely/i,
  ],
  ['file path', /\/work\/|node_modules|\.ts:\d|\.[cm]?js:\d+:\d+|file:\/\//],
  ['stack trace', /(^|\n) {2,}at \S/],
];

export interface Exchange {
  /** How to send it again, for the failure message. */
  readonly request: string;
  readonly status?: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly error?: string;
  readonly head?: boolean;
  readonly noAnswerOk?: boolean;
}

/** Every string the tests ever sent or seeded: an echo of one is the caller's own text. */
export class KnownStrings {
  private readonly strings = new Set<string>();

  addAll(value: unknown, depth = 0): void {
    if (depth > 50) return;
    if (typeof value === 'string') {
      if (value.length >= 4) this.strings.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) this.addAll(v, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        this.addAll(k, depth + 1);
        this.addAll(v, depth + 1);
      }
    }
  }

  /** The text with every echo (a prefix of a known string, as is or JSON-escaped) blanked. */
  strip(text: string): string {
    const echoed = new Uint8Array(text.length);
    for (const s of this.strings) {
      for (const form of [s, JSON.stringify(s).slice(1, -1)]) {
        const head = form.slice(0, 16);
        for (let at = text.indexOf(head); at >= 0;) {
          let end = at + head.length;
          while (end - at < form.length && text[end] === form[end - at]) end++;
          echoed.fill(1, at, end);
          at = text.indexOf(head, Math.max(at + 1, end - head.length + 1));
        }
      }
    }
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (!echoed[i]) out += text[i];
      else if (!echoed[i - 1]) out += '\u2400';
    }
    return out;
  }
}

function collectStrings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 100) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      collectStrings(v, out, depth + 1);
    }
  }
  return out;
}

function hasKey(value: unknown, keys: RegExp, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > 100) return false;
  return Object.entries(value).some(([k, v]) => keys.test(k) || hasKey(v, keys, depth + 1));
}

/** What is wrong with one answer, as short stable descriptions (empty: nothing). */
export function problemsOf(x: Exchange, known: KnownStrings): string[] {
  const out: string[] = [];
  if (x.status === undefined) {
    if (!x.noAnswerOk) out.push(`no answer (${x.error ?? 'connection closed'})`);
    return out;
  }
  if (x.status >= 500) out.push(`status ${x.status}`);
  if (x.text.includes('INTERNAL_SERVER_ERROR')) out.push('INTERNAL_SERVER_ERROR in the body');
  const type = x.headers['content-type'] ?? '';
  // Node's own HTTP layer answers requests that are not HTTP (and `Expect` headers it cannot
  // meet) with an empty 4xx before any handler runs: the only answers allowed not to be JSON.
  const parserRejection =
    x.text === '' && type === '' && [400, 408, 413, 417, 431].includes(x.status);
  let json: unknown;
  if (/json/i.test(type) && x.text !== '') {
    try {
      json = JSON.parse(x.text);
    } catch {
      out.push('content type says JSON but the body does not parse');
    }
  } else if (x.status >= 400 && !parserRejection && !x.head) {
    out.push(`error answer is not JSON (status ${x.status}, content type "${type}")`);
  }
  if (json !== undefined && hasKey(json, /^(stacktrace|exception)$/i))
    out.push('stacktrace or exception in the extensions');
  const texts = json !== undefined ? collectStrings(json) : [x.text];
  for (const text of texts) {
    for (const [what, pattern] of LEAKS) {
      if (!pattern.test(text)) continue;
      const stripped = known.strip(text);
      const match = pattern.exec(stripped);
      if (match) {
        const at = Math.max(0, match.index - 40);
        out.push(`${what}: …${stripped.slice(at, match.index + 80)}…`);
      }
    }
  }
  return [...new Set(out)];
}

/** An answer's problems without the parts that vary between requests, to group by cause. */
export const signatureOf = (where: string, problems: readonly string[]) =>
  `${where} | ${problems
    .map((p) =>
      p
        .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
        .replace(/\d+/g, 'N')
        .slice(0, 120),
    )
    .join(' + ')}`;

/** JSON for a failure message: long strings and deep lists summarized. */
export function show(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string' && v.length > 200)
      return `«${v.length} characters: ${JSON.stringify(v.slice(0, 40))}…»`;
    if (Array.isArray(v)) {
      let depth = 0;
      let inner: unknown = v;
      while (Array.isArray(inner) && inner.length === 1) [inner, depth] = [inner[0], depth + 1];
      if (depth > 5) return `«${depth} nested lists around ${JSON.stringify(inner)}»`;
      if (v.length > 10) return [...v.slice(0, 3), `«${v.length - 3} more like these»`];
    }
    return v;
  });
  return text === undefined ? 'undefined' : text;
}

export const excerpt = (text: string, n = 600) => (text.length > n ? `${text.slice(0, n)}…` : text);
