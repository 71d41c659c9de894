import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { type DocumentNode, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { Context } from '../graphql/context.type.js';
import { patchAnswer } from './answer-patch.js';
import type { PatchPlan } from './patch-plan.js';
import { indexProgress } from './progress-index.js';
import { jsonOrNull, readerKey, shapeOf, type Shape } from './answer-shape.js';
import { answerStamp } from './answer-stamp.js';
import { newEntry, waitAtMost, type Entry } from './answer-entry.js';

/**
 * Characters of answers kept, in all: a 10,000-node dashboard is about 1.6 million, held as a
 * two-byte string and its UTF-8 bytes (about 8 MB together), so at most about 40 MB.
 */
const MAX_KEPT_CHARS = 8_000_000;
/**
 * What a kept tree counts against MAX_KEPT_CHARS per node, the same order as its answer's text:
 * an entry that may be patched holds the tree it was made from.
 */
const TREE_CHARS_PER_NODE = 200;
/** Answers shorter than this are cheaper to make again than to keep. */
const MIN_KEPT_CHARS = 2_000;

/** How long a request waits for an identical one's answer before making its own. */
const WAIT_MS = 1_000;

/**
 * Serialized answers kept between requests, for the dashboard's reads: the same large query
 * asked again and again while writes are rare. An answer is served again only while nothing it
 * was made from can have changed, by the same rule as the kept trees (src/services/tree-cache.ts):
 * - SQLite: each initiative the query names has the record and the write counts it had before
 *   the answer was made (this process's writes that could have changed anything, its pipeline
 *   writes to that initiative: src/db/write-generation.ts), and `PRAGMA data_version` (commits
 *   by other connections) has not moved, so a write to one initiative leaves the answers about
 *   the others kept;
 * - PostgreSQL: each initiative the query names has the revision and record it had before the
 *   answer was made (every write through the pipeline moves the revision in its transaction).
 * The stamp is read before the answer is made, so a write that lands while it is being made
 * leaves the entry under an older stamp than any later request sees: it is never served.
 *
 * Only operations whose every field is a pure function of those stamps are kept (answer-shape.ts:
 * no clock, no as-of, no paging); the key holds the query text, the operation name, the
 * variables and what the caller may read (role and scope). Repeated requests then cost the
 * lookup and the stamp, concurrent identical ones share one answer in memory (a request that
 * finds the same answer being made under the same stamp waits for it), and the answer is
 * turned into UTF-8 once. A dashboard whose answer went stale because items changed is not
 * made again: the kept answer's moved figures are written over (answer-patch.ts).
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private keptChars = 0;
  private readonly shapes = new WeakMap<DocumentNode, Shape | null>();
  /** An answer's data object (made, not yet serialized) → the entry its text goes into. */
  private readonly pending = new WeakMap<object, Entry>();
  /** The stand-in data object of a served answer → its entry. */
  private readonly served = new WeakMap<object, Entry>();
  /** The text of every kept answer → its entry, so the HTTP layer finds the UTF-8 bytes. */
  private readonly byText = new Map<string, Entry>();

  /** Answers served from the cache so far (tests and metrics read it). */
  hits = 0;
  /** Of those, answers brought up to date by writing over moved figures. */
  patched = 0;

  constructor(private readonly schema: GraphQLSchema) {}

  private shape(document: DocumentNode): Shape | null {
    if (!this.shapes.has(document)) this.shapes.set(document, shapeOf(this.schema, document));
    return this.shapes.get(document)!;
  }

  private keep(key: string, entry: Entry): void {
    this.drop(key);
    this.entries.set(key, entry);
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    // An answer still being made is handed to whoever waits for it when it is done (it was
    // made under their stamp), only not kept; a kept one is let go.
    if (old.text !== undefined) {
      this.keptChars -= old.text.length + old.treeChars;
      this.byText.delete(old.text);
    }
  }

  /** Serves kept answers and keeps new ones (after the limits plugin has admitted the request). */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => {
        let filling: Entry | undefined;
        let plan: PatchPlan | null = null;
        return {
          responseForOperation: async (request: GraphQLRequestContext<Context>) => {
            const { document, contextValue } = request;
            const text = request.request.query;
            if (!document || text === undefined) return null;
            const shape = this.shape(document);
            if (!shape) return null;
            plan = shape.patch;
            const variables = request.request.variables ?? {};
            const variablesKey = jsonOrNull(variables);
            if (variablesKey === null) return null;
            // A stamp that cannot be read (the database gone, a statement cut) keeps nothing:
            // the request is answered afresh, and its own error says what happened (a 503).
            const stamped = await answerStamp(this.schema, contextValue.em, shape, variables).catch(
              () => null,
            );
            if (stamped === null) return null;
            const stamp = stamped.text;
            const key = `${readerKey(contextValue.principal)}\n${request.request.operationName ?? ''}\n${variablesKey}\n${text}`;
            let entry = this.entries.get(key);
            if (entry?.stamp === stamp && entry.text === undefined) {
              if (Date.now() - entry.since > WAIT_MS)
                entry = undefined; // its maker failed
              else await waitAtMost(entry.ready, WAIT_MS);
            }
            if (entry?.stamp === stamp && entry.text !== undefined) {
              if (this.entries.get(key) === entry) {
                this.entries.delete(key); // most recently used last
                this.entries.set(key, entry);
              }
              return this.serve(entry);
            }
            if (entry?.stamp === stamp) return null; // being made too slowly: make it alone
            const stale = entry?.text !== undefined && entry.tree ? entry : undefined;
            filling = newEntry(key, stamp);
            this.keep(key, filling);
            if (stale && shape.patch && stamped.ids[0] === stale.tree!.initiative.id) {
              const made = filling;
              const patched = await this.patch(
                shape.patch,
                stale,
                contextValue,
                stamped.records[0]!,
              ).catch(() => null);
              if (patched) {
                filling = undefined; // nothing left for this request to keep
                made.tree = patched.tree;
                made.index = patched.index;
                this.complete(made, patched.text);
                this.patched++;
                return this.serve(made);
              }
            }
            return null;
          },
          didEncounterErrors: async () => {
            if (filling) this.abandon(filling);
          },
          willSendResponse: async ({ response, contextValue }) => {
            if (!filling) return;
            const result = response.body.kind === 'single' ? response.body.singleResult : null;
            if (!result?.data || result.errors || result.extensions) return this.abandon(filling);
            if (plan && contextValue.loaders.treesRead.size === 1)
              filling.tree = [...contextValue.loaders.treesRead.values()][0];
            this.pending.set(result.data, filling);
          },
        };
      },
    };
  }

  /** A kept answer as the response: its text is written by `stringify`. */
  private serve(entry: Entry) {
    const data = {};
    this.served.set(data, entry);
    this.hits++;
    return {
      http: { status: undefined, headers: new HeaderMap() },
      body: { kind: 'single' as const, singleResult: { data } },
    };
  }

  /**
   * `stale`'s answer brought up to the tree this request reads (through its loader, so an
   * answer made afresh instead reads the same tree); null when it cannot be.
   */
  private async patch(plan: PatchPlan, stale: Entry, context: Context, record: string) {
    const before = stale.tree!;
    const after = await context.loaders.tree.load(before.initiative.id);
    // Patched under this stamp, so made from the record the stamp names (a policy change
    // between the two reads leaves it to be made afresh).
    if (!after || JSON.stringify(after.initiative) !== record) return null;
    if (stale.index === undefined) stale.index = indexProgress(stale.text!);
    if (!stale.index) return null;
    const patched = await patchAnswer(plan, stale.text!, stale.index, before, after);
    return patched && { ...patched, tree: after };
  }

  /** Keeps `text` as the answer of `entry`, and hands it to the requests waiting for it. */
  private complete(entry: Entry, text: string): void {
    entry.text = text;
    if (this.entries.get(entry.key) !== entry) {
      // A later stamp's answer took its place: not kept, but still the answer of the
      // requests that waited for it under this one.
      entry.settle(text);
      return;
    }
    // A kept tree (its nodes, figures and views) is counted as a few hundred characters a node.
    entry.treeChars = entry.tree ? entry.tree.nodes.size * TREE_CHARS_PER_NODE : 0;
    this.keptChars += text.length + entry.treeChars;
    this.byText.set(text, entry);
    entry.settle(text);
    this.evict();
  }

  private abandon(entry: Entry): void {
    if (this.entries.get(entry.key) === entry && entry.text === undefined)
      this.entries.delete(entry.key);
    entry.settle(undefined);
  }

  /** The kept text of a served answer, or the answer made by `serialize` (kept when pending). */
  stringify(value: FormattedExecutionResult, serialize: () => string): string {
    const data = value.data as object | null | undefined;
    if (data && !value.errors && !value.extensions) {
      const served = this.served.get(data);
      if (served?.text !== undefined) return served.text;
      const entry = this.pending.get(data);
      if (entry) {
        const text = serialize();
        this.pending.delete(data);
        if (text.length < MIN_KEPT_CHARS) {
          this.abandon(entry);
          return text;
        }
        this.complete(entry, text);
        return text;
      }
    }
    return serialize();
  }

  /** The UTF-8 bytes of a kept answer's text, made once; undefined for any other text. */
  bytesOf(text: string): Buffer | undefined {
    const entry = this.byText.get(text);
    if (!entry) return undefined;
    return (entry.bytes ??= Buffer.from(text, 'utf8'));
  }

  private evict(): void {
    // Text and its UTF-8 bytes: about three bytes a character for Chinese names, counted as one.
    while (this.keptChars > MAX_KEPT_CHARS && this.entries.size > 0)
      this.drop(this.entries.keys().next().value!);
  }
}
