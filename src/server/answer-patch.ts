import {
  execute,
  getNamedType,
  GraphQLSchema,
  isObjectType,
  Kind,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type SelectionSetNode,
} from 'graphql';
import type { InitiativeTree, TreeNode } from '../services/load-initiative-tree.js';
import { WorkstreamType } from '../graphql/types/workstream.type.js';
import { fromGlobalId } from '../graphql/global-id.js';
import type { Figure } from '../domain/rollup.js';

/**
 * A kept dashboard answer brought up to date by re-rendering only the figures that moved, for
 * answers that went stale because items changed (the usual write: one status, which moves the
 * figures from its workstream up to the top and nothing else). The answer is the same text a
 * fresh execution would make, by construction:
 * - the query's answer depends only on the initiative's tree (every Workstream field is a
 *   node's row or its figure: PURE_FIELDS in answer-shape.ts) and the initiative selects
 *   nothing but `workstreams`;
 * - the tree the answer was made from and the tree now have the same initiative record and the
 *   same node rows, compared field by field (so the same nodes, order and names), so only
 *   progress values can differ, and only those of nodes whose figures differ;
 * - each of those is rendered again by GraphQL over the same selection, and written over that
 *   node's progress value in the text, found by a scan that knows the JSON's structure.
 * Anything else (another shape of query, a changed row, a node found twice) is made afresh.
 */
export interface PatchPlan {
  /** The `progress` selection, run with the Progress view as the root value. */
  readonly document: DocumentNode;
  readonly schema: GraphQLSchema;
}

/** Where each workstream's progress value sits in an answer's text. */
export interface ProgressIndex {
  /** Workstream id → its slot in `bounds`. */
  readonly slots: ReadonlyMap<number, number>;
  /** Start and end (exclusive) of each slot's progress value, in text order. */
  readonly bounds: Int32Array;
}

const progressSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** A schema whose query root is Progress, sharing the real schema's types and resolvers. */
function progressSchema(schema: GraphQLSchema): GraphQLSchema | null {
  let mini = progressSchemas.get(schema);
  if (!mini) {
    const progress = schema.getType('Progress');
    if (!isObjectType(progress)) return null;
    progressSchemas.set(schema, (mini = new GraphQLSchema({ query: progress })));
  }
  return mini;
}

/**
 * The plan for a document, or null when its answers are not patched: one operation, no
 * fragments, no variables under `progress`; the initiative selects only `workstreams`; every
 * Workstream selection has `id` and `progress` under their own names (nothing else answers
 * under those names), with one and the same `progress` selection everywhere.
 */
export function patchPlanOf(schema: GraphQLSchema, document: DocumentNode): PatchPlan | null {
  if (document.definitions.length !== 1) return null;
  const typeInfo = new TypeInfo(schema);
  let ok = true;
  let progress: string | undefined;
  const checkSet = (parent: string, set: SelectionSetNode) => {
    const fields = set.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
    if (fields.length !== set.selections.length) return void (ok = false);
    const answered = (key: string) => fields.filter((f) => (f.alias ?? f.name).value === key);
    if (parent === 'Initiative') {
      if (fields.some((f) => !['workstreams', '__typename'].includes(f.name.value))) ok = false;
    } else if (parent === 'Workstream') {
      const id = answered('id');
      const prog = answered('progress');
      if (id.length !== 1 || id[0]!.name.value !== 'id') ok = false;
      if (prog.length !== 1 || prog[0]!.name.value !== 'progress') return void (ok = false);
      const text = print(prog[0]!.selectionSet!);
      if (progress === undefined) progress = text;
      else if (progress !== text) ok = false;
    }
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      FragmentSpread: () => void (ok = false),
      InlineFragment: () => void (ok = false),
      Field(node: FieldNode) {
        const type = getNamedType(typeInfo.getType());
        if (node.selectionSet && type) checkSet(type.name, node.selectionSet);
        if (typeInfo.getParentType()?.name === 'Workstream' && node.name.value === 'progress') {
          // Variables would need the operation's definitions: such answers are made afresh.
          visit(node, { Variable: () => void (ok = false) });
        }
      },
    }),
  );
  const mini = progressSchema(schema);
  if (!ok || progress === undefined || !mini) return null;
  return { document: parse(`query ${progress}`), schema: mini };
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

interface Frame {
  readonly object: boolean;
  key: string | null;
  id: string | null;
  start: number;
  end: number;
  /** Set on the frame of a progress value: the workstream object it belongs to. */
  readonly progressOf: Frame | null;
}

/**
 * One pass over an answer's JSON: for every object with an `id` naming a workstream and a
 * `progress` object value, where that value starts and ends. Null when a workstream is found
 * twice (a change would have to be written in two places).
 */
export function indexProgress(text: string): ProgressIndex | null {
  const found: { id: number; start: number; end: number }[] = [];
  const seen = new Set<number>();
  const stack: Frame[] = [];
  let top: Frame | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      for (;;) {
        const k = text.indexOf('"', j);
        if (k < 0) return null;
        let slashes = 0;
        while (text.charCodeAt(k - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) {
          j = k;
          break;
        }
        j = k + 1;
      }
      const value = text.slice(i + 1, j);
      if (top?.object) {
        if (text.charCodeAt(j + 1) === COLON) top.key = value;
        else if (top.key === 'id') top.id = value;
      }
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const progressOf = c === 123 && top?.object && top.key === 'progress' ? top : null;
      if (progressOf) progressOf.start = i;
      stack.push(
        (top = { object: c === 123, key: null, id: null, start: -1, end: -1, progressOf }),
      );
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      const done = stack.pop();
      top = stack[stack.length - 1];
      if (!done) return null;
      if (done.progressOf) done.progressOf.end = i + 1;
      if (done.object && done.id !== null && done.start >= 0 && done.end > done.start) {
        const workstream = workstreamIdOf(done.id);
        if (workstream !== null) {
          if (seen.has(workstream)) return null;
          seen.add(workstream);
          found.push({ id: workstream, start: done.start, end: done.end });
        }
      }
    }
  }
  // Objects close children first: the slots go in text order (no progress value holds another).
  found.sort((a, b) => a.start - b.start);
  const slots = new Map<number, number>();
  const bounds = new Int32Array(2 * found.length);
  found.forEach((f, slot) => {
    slots.set(f.id, slot);
    bounds[2 * slot] = f.start;
    bounds[2 * slot + 1] = f.end;
  });
  return { slots, bounds };
}

function workstreamIdOf(globalId: string): number | null {
  return fromGlobalId(globalId, 'Workstream')?.id ?? null;
}

function sameRow(a: TreeNode, b: TreeNode): boolean {
  for (const key of Object.keys(a) as (keyof TreeNode)[]) {
    if (key === 'children') continue;
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (x instanceof Date && y instanceof Date && x.getTime() === y.getTime()) continue;
    return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

function sameFigure(a: Figure, b: Figure): boolean {
  if (
    a.credit !== b.credit ||
    a.counted !== b.counted ||
    a.total !== b.total ||
    a.manualNodes !== b.manualNodes ||
    a.manualCredit !== b.manualCredit ||
    a.manualCounted !== b.manualCounted
  )
    return false;
  for (const status of Object.keys(a.tally) as (keyof Figure['tally'])[]) {
    const x = a.tally[status];
    const y = b.tally[status];
    if (x.items !== y.items || x.weight !== y.weight || x.percentWeight !== y.percentWeight)
      return false;
  }
  return true;
}

/**
 * The nodes whose figures differ between two trees of one initiative, or null when anything
 * else differs (the record, a row, the set of nodes).
 */
export function changedFigures(before: InitiativeTree, after: InitiativeTree): number[] | null {
  if (before === after) return [];
  if (before.time || after.time) return null;
  if (JSON.stringify(before.initiative) !== JSON.stringify(after.initiative)) return null;
  if (before.nodes.size !== after.nodes.size) return null;
  // A tree brought forward by counter deltas shares its nodes with the one before (tree-cache.ts).
  const sameNodes = before.nodes === after.nodes;
  const changed: number[] = [];
  for (const [id, node] of before.nodes) {
    const now = after.nodes.get(id);
    if (!now || (!sameNodes && !sameRow(node, now))) return null;
    const a = before.rollup.figures.get(id);
    const b = after.rollup.figures.get(id);
    if (!a || !b) return null;
    if (!sameFigure(a, b)) changed.push(id);
  }
  return changed;
}

/**
 * Whether `edits` of an answer's `slots` progress values are patched: each is rendered by
 * graphql-js alone, so past a quarter of the answer (a bulk update across the tree) making the
 * whole answer with the compiled query costs less; up to 64 values always are.
 */
export function worthPatching(edits: number, slots: number): boolean {
  return edits <= Math.max(64, slots / 4);
}

/** One node's progress value as the executor writes it (JSON of the same selection). */
async function renderProgress(plan: PatchPlan, tree: InitiativeTree, id: number) {
  const node = tree.nodes.get(id)!;
  const result = await execute({
    schema: plan.schema,
    document: plan.document,
    rootValue: WorkstreamType.of(node, tree).progress,
  });
  return result.errors || !result.data ? null : JSON.stringify(result.data);
}

/**
 * `text` (made from `before`, indexed by `index`) as it would be made from `after`, with its
 * index; null when it cannot be patched.
 */
export async function patchAnswer(
  plan: PatchPlan,
  text: string,
  index: ProgressIndex,
  before: InitiativeTree,
  after: InitiativeTree,
): Promise<{ text: string; index: ProgressIndex } | null> {
  const changed = changedFigures(before, after);
  if (changed === null) return null;
  const slots = changed.flatMap((id) => {
    const slot = index.slots.get(id);
    return slot === undefined ? [] : [{ id, slot }]; // not in this answer: deeper than it goes
  });
  if (!worthPatching(slots.length, index.slots.size)) return null;
  const edits: { slot: number; value: string }[] = [];
  for (const { id, slot } of slots) {
    const value = await renderProgress(plan, after, id);
    if (value === null) return null;
    edits.push({ slot, value });
  }
  if (edits.length === 0) return { text, index };
  edits.sort((a, b) => a.slot - b.slot);
  const bounds = new Int32Array(index.bounds);
  const parts: string[] = [];
  let from = 0;
  let shift = 0;
  let slot = 0;
  for (const edit of edits) {
    for (; slot < edit.slot; slot++) {
      bounds[2 * slot] += shift;
      bounds[2 * slot + 1] += shift;
    }
    const start = index.bounds[2 * edit.slot]!;
    const end = index.bounds[2 * edit.slot + 1]!;
    parts.push(text.slice(from, start), edit.value);
    from = end;
    bounds[2 * slot] = start + shift;
    shift += edit.value.length - (end - start);
    bounds[2 * slot + 1] = end + shift;
    slot++;
  }
  for (; slot < bounds.length / 2; slot++) {
    bounds[2 * slot] += shift;
    bounds[2 * slot + 1] += shift;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), index: { slots: index.slots, bounds } };
}
