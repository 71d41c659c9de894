import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { Rng } from './random.js';
import {
  b64,
  SQL_STRINGS,
  PATH_STRINGS,
  UNICODE_STRINGS,
  CONTROL_STRINGS,
  JSONISH_STRINGS,
  MISC_STRINGS,
  DATE_STRINGS,
  BAD_IDS,
  BAD_CURSORS,
  INTS,
  FLOATS,
  hugeString,
  jsonLength,
} from './fuzz-values.js';

/**
 * A seeded generator of hostile GraphQL requests (quality bar R2): syntactically valid operations
 * built from the committed SDL, with valid, boundary, wrong-typed, huge and malicious variables.
 */

/** The committed SDL as a schema object. */
export function loadFuzzSchema(): GraphQLSchema {
  return buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
}

/** Real ids and keys of the database under test, so valid values reach the resolvers. */
export interface IdPool {
  readonly initiatives: readonly string[];
  readonly initiativeKeys: readonly string[];
  readonly workstreams: readonly string[];
  readonly items: readonly string[];
}

export type AuthKind = 'admin' | 'editor' | 'viewer' | 'none' | 'garbage';

export interface FuzzVariable {
  readonly name: string;
  /** The argument's exact type, as declared in the operation. */
  readonly type: string;
  /** An argument of the root field (nested ones go when the selection shrinks). */
  readonly root: boolean;
  value: unknown;
  /** False: declared but left out of `variables`. */
  present: boolean;
}

export interface FuzzOperation {
  readonly kind: 'query' | 'mutation';
  readonly field: string;
  readonly args: string;
  selection: string;
  readonly minimalSelection: string;
  vars: FuzzVariable[];
  readonly auth: AuthKind;
  /** The Authorization header for `garbage`. */
  readonly garbageAuth?: string;
  /** Send the operation name along (it always exists: `Fuzz`). */
  readonly sendOperationName: boolean;
  /** Queries only, sometimes: GET with the request in the query string. */
  readonly transport: 'post' | 'get';
  /** Which kinds of hostile values went in, for the summary. */
  readonly tags: readonly string[];
}

/** The query text and variables of an operation. */
export function renderOperation(op: FuzzOperation): {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
} {
  const decls = op.vars.map((v) => `$${v.name}: ${v.type}`).join(', ');
  const query = `${op.kind} Fuzz${decls ? `(${decls})` : ''} { ${op.field}${op.args}${
    op.selection ? ` ${op.selection}` : ''
  } }`;
  const variables: Record<string, unknown> = {};
  for (const v of op.vars) if (v.present) variables[v.name] = v.value;
  return { query, variables, ...(op.sendOperationName ? { operationName: 'Fuzz' } : {}) };
}

const ABSENT = Symbol('absent');
type Gen = unknown | typeof ABSENT;

/** Which kind of object an ID argument names, from its own name and its input type's. */
function idKind(parent: string, name: string): 'Initiative' | 'Workstream' | 'Item' | 'any' {
  if (name === 'itemId') return 'Item';
  if (name === 'workstreamId' || name === 'parentId') return 'Workstream';
  if (name === 'initiativeId') return 'Initiative';
  if (/Item/.test(parent)) return 'Item';
  if (/Workstream/.test(parent)) return 'Workstream';
  return 'any';
}

/** A field of the Query or Mutation type, and which of the two it is on. */
interface RootField {
  readonly kind: 'query' | 'mutation';
  readonly field: GraphQLField<unknown, unknown>;
}

/** Generates one operation per call; everything it picks comes from `r`. */
export class FuzzGenerator {
  /** Every root field, queries then mutations. */
  private readonly fields: RootField[];
  private hostility = 0;
  /** In "one bad value" mode, the number of value choices left before the hostile one. */
  private oneBad = -1;
  private tags = new Set<string>();
  private bodyBudget = 0;
  private counter = 0;
  private vars: FuzzVariable[] = [];
  private fieldBudget = 0;
  /** This operation nests lists (paged or not) as deep as it can: the cost model's worst case. */
  private nestLists = false;
  /**
   * Root fields not yet dealt in this pass. Fields are dealt like cards from a shuffled deck, so
   * any run of as many operations as there are root fields exercises every one of them (a
   * uniform pick missed one in about a thousand runs of 400).
   */
  private deck: RootField[] = [];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly pool: IdPool,
    private readonly r: Rng,
  ) {
    this.fields = [
      { kind: 'query' as const, type: schema.getQueryType() },
      { kind: 'mutation' as const, type: schema.getMutationType() },
    ].flatMap(({ kind, type }) =>
      type ? Object.values(type.getFields()).map((field) => ({ kind, field })) : [],
    );
  }

  /** Every root field's name, to check they all get exercised. */
  rootFields(): string[] {
    return this.fields.map(({ field }) => field.name);
  }

  private shuffledRootFields(): RootField[] {
    const deck = [...this.fields];
    // Fisher–Yates, on the seeded generator so a seed still replays the same operations.
    for (let i = deck.length - 1; i > 0; i--) {
      const j = this.r.int(0, i);
      [deck[i], deck[j]] = [deck[j]!, deck[i]!];
    }
    return deck;
  }

  next(): FuzzOperation {
    const r = this.r;
    if (this.deck.length === 0) this.deck = this.shuffledRootFields();
    const { kind, field } = this.deck.pop()!;
    // 15% all valid, 35% with one bad value (they get furthest into the resolvers), 50% with
    // bad values at a random density.
    const mode = r.next();
    this.hostility = mode < 0.5 ? 0 : r.pick([0.1, 0.25, 0.5, 0.8, 1])!;
    this.oneBad = mode >= 0.15 && mode < 0.5 ? r.int(0, 6) : -1;
    this.tags = new Set();
    this.vars = [];
    this.counter = 0;
    this.fieldBudget = 120;
    // One operation in eight nests lists four to six levels deep (workstreams { children {
    // children { items { nodes { history … } } } } }): the limits must refuse or bound it.
    this.nestLists = r.chance(0.125);
    if (this.nestLists) this.tags.add('nested-lists');
    // Mostly under the 100 kB body limit, sometimes over it.
    this.bodyBudget = r.chance(0.1) ? 160_000 : 90_000;

    const args = this.arguments(field.args, true, field.name);
    const selection = this.selection(field.type, this.nestLists ? r.int(4, 6) : r.int(2, 3));
    if (this.tags.size === 0) this.tags.add('valid');
    const minimal = isLeafType(getNamedType(field.type)) ? '' : '{ __typename }';
    const roll = r.next();
    const auth: AuthKind =
      roll < 0.7
        ? 'admin'
        : roll < 0.78
          ? 'editor'
          : roll < 0.86
            ? 'viewer'
            : roll < 0.93
              ? 'none'
              : 'garbage';
    return {
      kind,
      field: field.name,
      args,
      selection,
      minimalSelection: minimal,
      vars: this.vars,
      auth,
      garbageAuth: auth === 'garbage' ? this.garbageAuth() : undefined,
      sendOperationName: r.chance(0.5),
      transport: kind === 'query' && r.chance(0.08) ? 'get' : 'post',
      tags: [...this.tags],
    };
  }

  private garbageAuth(): string {
    const r = this.r;
    const random = Array.from({ length: 43 }, () =>
      r.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''))!,
    ).join('');
    return r.pick([
      `Bearer jindu_${random}`,
      `Bearer ${random}`,
      'Bearer',
      'Bearer ',
      `bearer jindu_${random}`,
      `Bearer jindu_${random} extra`,
      'Basic dXNlcjpwYXNz',
      `Bearer ${'x'.repeat(5000)}`,
      "Bearer ' OR 1=1 --",
      'Bearer ../../etc/passwd',
      `Token jindu_${random}`,
      'null',
    ])!;
  }

  /** `(a: $a, b: $b)` with a variable of the argument's exact type for each argument. */
  private arguments(args: readonly GraphQLArgument[], root: boolean, owner: string): string {
    if (args.length === 0) return '';
    const parts: string[] = [];
    for (const arg of args) {
      const name = root ? arg.name : `${owner}_${arg.name}_${++this.counter}`;
      // A non-null argument with a default (`first: Int! = 50`) takes a nullable variable,
      // and a client may send null in it.
      if (isNonNullType(arg.type) && arg.defaultValue !== undefined && this.r.chance(0.1)) {
        this.tags.add('null-variable');
        this.vars.push({ name, type: String(arg.type.ofType), root, value: null, present: true });
        parts.push(`${arg.name}: $${name}`);
        continue;
      }
      const value = this.value(arg.type, arg.name, owner, 0);
      this.vars.push({
        name,
        type: String(arg.type),
        root,
        value: value === ABSENT ? null : value,
        present: value !== ABSENT,
      });
      parts.push(`${arg.name}: $${name}`);
    }
    return `(${parts.join(', ')})`;
  }

  private selection(type: GraphQLOutputType, depth: number): string {
    const named = getNamedType(type);
    if (isLeafType(named)) return '';
    if (isInterfaceType(named) || isUnionType(named)) {
      const parts = ['__typename'];
      if (isInterfaceType(named)) parts.push(...this.leaves(named.getFields()));
      for (const possible of this.schema.getPossibleTypes(named)) {
        parts.push(`... on ${possible.name} ${this.selection(possible, depth - 1)}`);
      }
      return `{ ${parts.join(' ')} }`;
    }
    if (!isObjectType(named)) return '';
    const fields = named.getFields();
    const parts: string[] = [];
    for (const field of Object.values(fields)) {
      if (this.fieldBudget <= 0) break;
      const fieldNamed = getNamedType(field.type);
      if (field.name === 'userErrors') {
        parts.push('userErrors { code message field }');
        continue;
      }
      if (isLeafType(fieldNamed)) {
        if (field.args.length > 0 && !this.r.chance(0.5)) continue;
        this.fieldBudget--;
        parts.push(`${field.name}${this.nestedArguments(field.args, field.name)}`);
        continue;
      }
      const payloadMain = named.name.endsWith('Payload');
      const fansOut =
        isListType(getNullableType(field.type)) || field.args.some((a) => a.name === 'first');
      const chance = payloadMain || (this.nestLists && fansOut) ? 0.9 : 0.35;
      if (depth <= 0 || !this.r.chance(chance)) continue;
      this.fieldBudget--;
      const args = this.nestedArguments(field.args, field.name);
      parts.push(`${field.name}${args} ${this.selection(field.type, depth - 1)}`);
    }
    if (parts.length === 0) parts.push('__typename');
    return `{ ${parts.join(' ')} }`;
  }

  /** Arguments of fields below the root: a variable half the time, else the default. */
  private nestedArguments(args: readonly GraphQLArgument[], owner: string): string {
    const chosen = args.filter(
      (a) => (isNonNullType(a.type) && a.defaultValue === undefined) || this.r.chance(0.5),
    );
    return this.arguments(chosen, false, owner);
  }

  private leaves(fields: GraphQLFieldMap<unknown, unknown>): string[] {
    return Object.values(fields)
      .filter((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0)
      .map((f) => f.name);
  }

  private hostile(): boolean {
    if (this.oneBad >= 0) return this.oneBad-- === 0;
    return this.hostility > 0 && this.r.next() < this.hostility;
  }

  /** A value for a variable or input field of `type`; ABSENT leaves it out. */
  private value(type: GraphQLInputType, name: string, parent: string, depth: number): Gen {
    if (depth > 6) return null;
    if (this.hostile()) return this.hostileValue(type, name, parent, depth);
    if (isNonNullType(type)) return this.valid(type.ofType, name, parent, depth);
    if (this.r.chance(0.3)) return ABSENT;
    if (this.r.chance(0.05)) return null;
    return this.valid(type, name, parent, depth);
  }

  private valid(type: GraphQLInputType, name: string, parent: string, depth: number): Gen {
    const r = this.r;
    if (isNonNullType(type)) return this.valid(type.ofType, name, parent, depth);
    if (isListType(type)) {
      const n = r.int(1, name === 'updates' || name === 'items' ? 5 : 3);
      return Array.from({ length: n }, () => this.listElement(type.ofType, name, parent, depth));
    }
    if (isInputObjectType(type)) {
      const out: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        const v = this.value(field.type, field.name, type.name, depth + 1);
        if (v !== ABSENT) out[field.name] = v;
      }
      return out;
    }
    if (isEnumType(type)) return r.pick(type.getValues())!.name;
    return this.validScalar(type.name, name, parent);
  }

  private listElement(type: GraphQLInputType, name: string, parent: string, depth: number) {
    const v = this.hostile()
      ? this.hostileValue(type, name, parent, depth + 1)
      : this.valid(type, name, parent, depth + 1);
    return v === ABSENT ? null : v;
  }

  private validScalar(scalar: string, name: string, parent: string): unknown {
    const r = this.r;
    const pool = this.pool;
    switch (scalar) {
      case 'ID': {
        const kind = idKind(parent, name);
        const list =
          kind === 'Item'
            ? pool.items
            : kind === 'Workstream'
              ? pool.workstreams
              : kind === 'Initiative'
                ? pool.initiatives
                : r.pick([pool.items, pool.workstreams, pool.initiatives])!;
        return r.pick(list) ?? b64('Item:1');
      }
      case 'Int':
        if (name === 'first') return r.chance(0.8) ? r.int(1, 10) : r.int(1, 100);
        if (name === 'percent' || name === 'reportLowPercentBucket') return r.int(0, 100);
        if (name === 'weight') return r.int(1, 1000);
        if (name === 'position') return r.int(0, 5);
        if (name === 'expectedVersion') return r.int(1, 4);
        return r.int(0, 100);
      case 'Float':
        if (name === 'manualPercent') return r.int(0, 10_000) / 100;
        return r.int(1, 1000) / 100;
      case 'Boolean':
        return r.chance(0.5);
      case 'String':
        if (name === 'key')
          return r.chance(0.3) ? r.pick(pool.initiativeKeys) : `fz-${r.int(0, 1_000_000)}`;
        if (name === 'targetDate' || name === 'date')
          return `20${r.int(20, 30)}-0${r.int(1, 9)}-${r.int(10, 28)}`;
        if (name === 'idempotencyKey') return `fuzz-key-${r.int(1, 5)}`;
        if (name === 'after') {
          const item = r.pick(pool.items);
          const id = item ? Buffer.from(item, 'base64url').toString().split(':')[1] : '1';
          return b64(`cursor:${id}`);
        }
        return r.pick(['迁移', 'Fuzz', 'α β', '数据迁移 第二批', 'x'])! + r.int(0, 999);
      default:
        return 'x';
    }
  }

  /** A value that is wrong, at a boundary, huge or malicious for `type`. */
  private hostileValue(type: GraphQLInputType, name: string, parent: string, depth: number): Gen {
    const r = this.r;
    const roll = r.next();
    if (roll < 0.08) {
      this.tags.add(isNonNullType(type) ? 'null-for-non-null' : 'null');
      return r.chance(0.5) ? null : ABSENT;
    }
    if (roll < 0.22) return this.wrongType(type);
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return this.hostileList(inner.ofType, name, parent, depth);
    if (isInputObjectType(inner)) {
      const base = this.valid(inner, name, parent, depth);
      const obj = (base && typeof base === 'object' ? base : {}) as Record<string, unknown>;
      const what = r.int(0, 3);
      if (what === 0) {
        const required = Object.values(inner.getFields()).filter(
          (f) => isNonNullType(f.type) && f.defaultValue === undefined,
        );
        const drop = r.pick(required);
        if (drop) delete obj[drop.name];
        this.tags.add('missing-required-field');
      } else if (what === 1) {
        obj[r.pick(['extra', 'id_', 'Name', 'where', 'sql', 'role'])!] = this.randomJunk();
        this.tags.add('unknown-input-field');
      } else if (what === 2) {
        Object.defineProperty(obj, '__proto__', {
          value: { polluted: true, admin: true },
          enumerable: true,
          configurable: true,
          writable: true,
        });
        this.tags.add('proto-key');
      } else {
        for (const field of Object.values(inner.getFields())) {
          obj[field.name] = this.hostileValue(field.type, field.name, inner.name, depth + 1);
          if (obj[field.name] === ABSENT) delete obj[field.name];
        }
        this.tags.add('all-fields-hostile');
      }
      return obj;
    }
    if (isEnumType(inner)) {
      this.tags.add('bad-enum');
      const value = r.pick(inner.getValues())!.name;
      return r.pick([
        'NOPE',
        value.toLowerCase(),
        ` ${value}`,
        `${value}\u0000`,
        '',
        'zh-CN',
        'true',
        'null',
        '__proto__',
        3,
      ])!;
    }
    return this.hostileScalar(inner.name, name, parent);
  }

  private hostileList(type: GraphQLInputType, name: string, parent: string, depth: number): Gen {
    const r = this.r;
    const what = r.int(0, 5);
    if (what === 0) {
      this.tags.add('empty-list');
      return [];
    }
    if (what === 1) {
      this.tags.add('deep-list');
      // Deeper lists than JSON.stringify can take go as raw bodies (malformedHttpCases).
      const levels = r.pick([16, 100, 500, 1000])!;
      let v: unknown = this.valid(type, name, parent, depth + 1);
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    }
    if (what === 2 && (name === 'updates' || name === 'items')) {
      this.tags.add('over-bulk-limit');
      const n = r.pick([100, 101, 150, 500])!;
      return Array.from({ length: n }, () => this.valid(type, name, parent, depth + 1));
    }
    if (what === 3) {
      this.tags.add('list-with-nulls');
      return [null, this.valid(type, name, parent, depth + 1), null];
    }
    if (what === 4) {
      this.tags.add('scalar-for-list');
      return this.valid(type, name, parent, depth + 1);
    }
    const n = r.int(1, 3);
    return Array.from({ length: n }, () => this.listElement(type, name, parent, depth));
  }

  private wrongType(type: GraphQLInputType): unknown {
    const r = this.r;
    this.tags.add('wrong-type');
    const named = getNamedType(type);
    const candidates: unknown[] = [{ a: 1 }, [1], [[['x']]], true, false, {}, { id: 'x' }];
    if (named.name !== 'String' && named.name !== 'ID')
      candidates.push('12', '1.5', 'NaN', 'Infinity', '-Infinity', '', 'abc', '0x10', '1e3');
    if (named.name === 'String' || named.name === 'ID' || isEnumType(named))
      candidates.push(12, 1.5, -1, 0, 1e308);
    if (named.name === 'Boolean') candidates.push('true', 1, 0);
    return r.pick(candidates);
  }

  private randomJunk(): unknown {
    return this.r.pick([1, 'x', null, true, { nested: { deep: [1, 2] } }, [1, 'a'], "' OR 1=1 --"]);
  }

  private hostileScalar(scalar: string, name: string, parent: string): unknown {
    const r = this.r;
    if (scalar === 'Int') {
      this.tags.add('int-boundary');
      return r.pick(INTS);
    }
    if (scalar === 'Float') {
      this.tags.add('float-boundary');
      return r.pick(FLOATS);
    }
    if (scalar === 'Boolean') {
      this.tags.add('wrong-type');
      return r.pick(['true', 1, 0, 'yes', null]);
    }
    if (scalar === 'ID' && r.chance(0.6)) {
      this.tags.add('bad-id');
      if (r.chance(0.25)) {
        // A real id of another type.
        const kind = idKind(parent, name);
        const other = [this.pool.items, this.pool.workstreams, this.pool.initiatives].filter(
          (_, i) =>
            (kind === 'Item' && i !== 0) ||
            (kind === 'Workstream' && i !== 1) ||
            (kind === 'Initiative' && i !== 2) ||
            kind === 'any',
        );
        return r.pick(r.pick(other) ?? []) ?? b64('Initiative:1');
      }
      if (r.chance(0.2)) {
        const bytes = Array.from({ length: r.int(1, 40) }, () => r.int(0, 255));
        return Buffer.from(bytes).toString('base64url');
      }
      return r.pick(BAD_IDS);
    }
    if (name === 'after' && r.chance(0.5)) {
      this.tags.add('bad-cursor');
      return r.pick(BAD_CURSORS);
    }
    if ((name === 'targetDate' || name === 'date') && r.chance(0.5)) {
      this.tags.add('bad-date');
      return r.pick(DATE_STRINGS);
    }
    const family = r.int(0, 7);
    switch (family) {
      case 0: {
        this.tags.add('huge-string');
        const size = Math.min(r.int(10_000, 90_000), Math.max(1, this.bodyBudget));
        const s = hugeString(r, size);
        this.bodyBudget -= jsonLength(s);
        return s;
      }
      case 1:
        this.tags.add('sql');
        return r.pick(SQL_STRINGS);
      case 2:
        this.tags.add('path');
        return r.pick(PATH_STRINGS);
      case 3:
        this.tags.add('unicode');
        return r.pick(UNICODE_STRINGS);
      case 4:
        this.tags.add('control');
        return r.pick(CONTROL_STRINGS);
      case 5:
        this.tags.add('json-like');
        return r.pick(JSONISH_STRINGS);
      case 6:
        this.tags.add('bad-id');
        return r.pick(BAD_IDS);
      default:
        this.tags.add('misc-string');
        return r.pick(MISC_STRINGS);
    }
  }
}
