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
import type { rng } from './random.js';

/**
 * A seeded generator of hostile GraphQL requests (quality bar R2): syntactically valid operations
 * built from the committed SDL, with valid, boundary, wrong-typed, huge and malicious variables.
 */

export type Rng = ReturnType<typeof rng>;

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

const b64 = (text: string) => Buffer.from(text).toString('base64url');

const SQL_STRINGS = [
  "' OR 1=1 --",
  '"; DROP TABLE item; --',
  "'; DROP TABLE item; --",
  '%',
  '_',
  '\\',
  '%%',
  '_%_',
  "\\'",
  '$1',
  '?',
  ':name',
  '1; SELECT * FROM api_token --',
  "' UNION SELECT digest, name FROM api_token --",
  "x' AND 1=0 UNION SELECT sqlite_version() --",
  "1' AND pg_sleep(5) --",
  "'); DELETE FROM item; --",
  "' OR ''='",
  "admin'--",
  '" OR ""="',
  "%' ESCAPE '\\",
];
const PATH_STRINGS = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/passwd',
  'file:///etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '....//....//etc/passwd',
  '/proc/self/environ',
  '\\\\server\\share\\x',
  '/dev/zero',
];
const UNICODE_STRINGS = [
  '🚀',
  '👨‍👩‍👧‍👦',
  'مرحبا بالعالم',
  '\u202Eevil\u202C',
  'a\u200Bb\u200Cc\u200Dd',
  '\uFEFFbom',
  'e\u0301\u0301\u0301',
  '\uD800',
  '\uDFFFx',
  '𝕳𝖊𝖑𝖑𝖔',
  'Ω≈ç√∫',
  '进度'.repeat(50),
  'Z̷̡̛̤̹a̶͇̓l̵̰̈́g̸̣͝o̴̜͋',
  '\u2028\u2029',
  '\u0085',
  '\u00A0',
];
const CONTROL_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0003',
  '\b\f\v',
  '\u001b[31mred\u001b[0m',
  '\r\n\t',
  '\r\nSet-Cookie: x=1',
  '\u007f',
];
const JSONISH_STRINGS = [
  '{}',
  '{"a":1}',
  '[]',
  '[1,2,3]',
  'null',
  'true',
  '0',
  '-0',
  'NaN',
  'Infinity',
  '1e309',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  '{"__proto__":{"polluted":true}}',
];
const MISC_STRINGS = [
  '',
  ' ',
  '   ',
  '%s%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '<!--',
  'A'.repeat(65),
  'x'.repeat(257),
  '-',
  'UPPER',
  'key with space',
  'hive',
  'ключ',
];
const DATE_STRINGS = [
  '2023-02-30',
  '2023-13-01',
  '0000-01-01',
  '9999-12-31',
  '2023-5-1',
  '20230513',
  '2023-05-13T00:00:00Z',
  '-001000-01-01',
  '+275760-09-13',
  '1970-01-01',
  '2024-02-29',
  '2023-02-29',
];
const BAD_IDS = [
  b64('Item:0'),
  b64('Item:-1'),
  b64('Item:99999999999999999999'),
  b64('Item:999999999999999'),
  b64('Item:2147483648'),
  b64('Item:9007199254740993'),
  b64('Workstream:1e3'),
  b64('Workstream:999999999999999'),
  b64('Workstream:2147483647'),
  b64('Initiative:1'),
  b64('Initiative:999999999999999'),
  b64('Item:1 OR 1=1'),
  b64('Item:01'),
  b64('Item:1\n'),
  b64('Item:'),
  b64('Node:1'),
  b64('Item:1:2'),
  Buffer.from('Item:1').toString('base64'),
  'SXRlbToxCg==',
  'not-an-id',
  '====',
  '',
  'A'.repeat(65),
];
const BAD_CURSORS = [
  b64('cursor:0'),
  b64('cursor:-1'),
  b64('cursor:999999999999999'),
  b64('cursor:2147483648'),
  b64('cursor:1e3'),
  'cursor:1',
  'x',
];
const INTS = [
  0,
  -1,
  1,
  2,
  99,
  100,
  101,
  999,
  1000,
  1001,
  2147483647,
  -2147483648,
  2147483648,
  -2147483649,
  2 ** 53,
  -(2 ** 53),
  2 ** 53 + 2,
  1.5,
  -0.5,
  1e21,
  -0,
];
const FLOATS = [
  0,
  -1,
  0.001,
  0.005,
  1.005,
  33.333333,
  99.99,
  99.999,
  100,
  100.01,
  101,
  1e308,
  -1e308,
  5e-324,
  2 ** 53,
  1e21,
  -0,
  1e-7,
  1000,
  1000.01,
];

/** A string of about `size` characters in one of several alphabets. */
function hugeString(r: Rng, size: number): string {
  const unit = r.pick([
    'a',
    'ab ',
    '进度',
    '🚀',
    "' OR 1=1 -- ",
    '\u0000',
    'ه',
    '\u200B',
    String.fromCharCode(r.int(32, 126)),
  ])!;
  return unit.repeat(Math.max(1, Math.ceil(size / unit.length))).slice(0, size);
}

/** JSON-serialized length: what a value costs of the 100 kB body. */
const jsonLength = (value: unknown) => JSON.stringify(value)?.length ?? 0;

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

/**
 * Smaller variants of a failing operation, simplest first: the minimal selection, then each
 * variable's value shrunk (keys dropped, lists cut, strings shortened, values made null).
 */
export function* shrinkCandidates(op: FuzzOperation): Generator<FuzzOperation> {
  if (op.selection !== op.minimalSelection || op.vars.some((v) => !v.root)) {
    yield { ...op, selection: op.minimalSelection, vars: op.vars.filter((v) => v.root) };
  }
  if (op.auth !== 'admin' && op.auth !== 'garbage') yield { ...op, auth: 'admin' };
  if (op.transport !== 'post') yield { ...op, transport: 'post' };
  for (let i = 0; i < op.vars.length; i++) {
    for (const smaller of shrinkValue(op.vars[i]!.value)) {
      const vars = op.vars.map((v, j) => (j === i ? { ...v, value: smaller } : v));
      yield { ...op, vars };
    }
  }
}

function* shrinkValue(value: unknown, depth = 0): Generator<unknown> {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (value.length > 64) yield value.slice(0, 64);
    if (value.length > 8) yield value.slice(0, 8);
    return;
  }
  if (Array.isArray(value)) {
    let inner: unknown = value;
    let levels = 0;
    while (Array.isArray(inner) && inner.length === 1) [inner, levels] = [inner[0], levels + 1];
    if (levels > 3) yield [[inner]];
    if (value.length > 1) yield value.slice(0, 1);
    if (value.length === 1 && Array.isArray(value[0]) && value[0].length === 1) yield value[0];
    for (let i = 0; i < Math.min(value.length, 3); i++) {
      for (const s of shrinkValue(value[i], depth + 1))
        yield value.map((v, j) => (j === i ? s : v));
    }
    return;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    for (const [key] of entries) {
      yield Object.fromEntries(entries.filter(([k]) => k !== key));
    }
    for (const [key, v] of entries) {
      for (const s of shrinkValue(v, depth + 1))
        yield Object.fromEntries(entries.map(([k, old]) => [k, k === key ? s : old]));
    }
  }
}

/** One malformed HTTP exchange, sent as raw bytes over a socket. */
export interface RawCase {
  readonly name: string;
  readonly payload: Buffer;
  /** Half-close the socket after writing (the server sees the end of the stream). */
  readonly halfClose?: boolean;
  /** Give up (and destroy the socket) after this long; the default is a few seconds. */
  readonly timeoutMs?: number;
  /** A HEAD request: the answer has headers only. */
  readonly head?: boolean;
  /**
   * The server may rightly never answer: a body that never arrives, CONNECT without a handler.
   * Anything else without an answer is a failure.
   */
  readonly noAnswerOk?: boolean;
}

export interface RawContext {
  readonly adminToken: string;
  readonly itemId: string;
}

interface RawRequest {
  method?: string;
  path?: string;
  version?: string;
  headers?: [string, string][];
  body?: string | Buffer;
  /** null: no Content-Length; a string: sent as is; absent: the body's length. */
  contentLength?: string | null;
  auth?: boolean;
  host?: boolean;
}

/** Raw HTTP/1.1 bytes; `Connection: close` so the server ends the exchange. */
function rawHttp(ctx: RawContext, req: RawRequest): Buffer {
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
  const lines = [`${req.method ?? 'POST'} ${req.path ?? '/graphql'} ${req.version ?? 'HTTP/1.1'}`];
  if (req.host !== false) lines.push('Host: 127.0.0.1');
  lines.push('Connection: close');
  if (req.auth !== false) lines.push(`Authorization: Bearer ${ctx.adminToken}`);
  for (const [k, v] of req.headers ?? []) lines.push(`${k}: ${v}`);
  if (req.contentLength !== null && (req.body !== undefined || req.contentLength !== undefined))
    lines.push(`Content-Length: ${req.contentLength ?? body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

const JSON_CT: [string, string] = ['Content-Type', 'application/json'];
const PREFLIGHT: [string, string] = ['Apollo-Require-Preflight', 'true'];

/** POST /graphql with a JSON content type and this body. */
function post(ctx: RawContext, body: string | Buffer, extra: Partial<RawRequest> = {}): Buffer {
  return rawHttp(ctx, { headers: [JSON_CT], body, ...extra });
}

function chunked(parts: string[], end = true): string {
  return (
    parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') +
    (end ? '0\r\n\r\n' : '')
  );
}

/**
 * Malformed HTTP: every fixed case once (invalid JSON, empty bodies, wrong content types, GET
 * with bad query strings, huge headers, invalid methods, truncated bodies, wrong body shapes,
 * batches, odd paths and tokens), then `randomCount` random variants.
 */
export function malformedHttpCases(r: Rng, randomCount: number, ctx: RawContext): RawCase[] {
  const q = '{"query":"{ __typename }"}';
  const cases: RawCase[] = [];
  const add = (name: string, payload: Buffer, extra: Partial<RawCase> = {}) =>
    cases.push({ name, payload, ...extra });
  const get = (path: string, extra: Partial<RawRequest> = {}) =>
    rawHttp(ctx, { method: 'GET', path, ...extra });

  // Invalid JSON.
  for (const body of [
    '{',
    '{"query":',
    "{'query':'{ __typename }'}",
    'nul',
    '{"query":"{ __typename }"}garbage',
    '\uFEFF{"query":"{ __typename }"}',
    '{"query":"{ __typename }",}',
    '{"query":"\\x41"}',
    '{"query":"\\ud800"}',
    '['.repeat(50_000),
    '{"a":'.repeat(20_000),
    'undefined',
    '{"query": NaN}',
  ]) {
    add(`invalid JSON ${JSON.stringify(body.slice(0, 30))}`, post(ctx, body));
  }
  add('UTF-16 body', post(ctx, Buffer.from(q, 'utf16le')));
  add(
    'invalid UTF-8 bytes',
    post(ctx, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
  );
  add('deep JSON array (valid)', post(ctx, '['.repeat(40_000) + ']'.repeat(40_000)));
  add(
    'deep JSON in variables',
    post(
      ctx,
      `{"query":"{ __typename }","variables":{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`,
    ),
  );
  add(
    'deep JSON in extensions',
    post(
      ctx,
      `{"query":"{ __typename }","extensions":${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}}`,
    ),
  );
  const deep = (inner: string, levels: number) =>
    `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
  add(
    'deep list in a used variable',
    post(
      ctx,
      `{"query":"query($s: [ItemStatus!]) { initiatives { workstreams { items(status: $s) { totalCount } } } }","variables":{"s":${deep('"DONE"', 30_000)}}}`,
    ),
  );
  add(
    'deep list in a used input variable',
    post(
      ctx,
      `{"query":"mutation($i: SetItemStatusesInput!) { setItemStatuses(input: $i) { userErrors { code } } }","variables":{"i":{"updates":${deep(`{"itemId":"${ctx.itemId}","status":"DONE"}`, 30_000)}}}}`,
    ),
  );
  add(
    'deep object for a String variable',
    post(
      ctx,
      `{"query":"query($k: String!) { initiative(key: $k) { id } }","variables":{"k":${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}}}`,
    ),
  );
  add('duplicate keys', post(ctx, '{"query":"{ __typename }","query":"mutation { x }"}'));
  add('body just under the limit', post(ctx, `{"query":"{ __typename }"${' '.repeat(102_000)}}`));
  add('body just over the limit', post(ctx, `{"query":"{ __typename }"${' '.repeat(102_400)}}`));
  add(
    'chunked body over the limit',
    post(ctx, chunked([`{"query":"{ __typename }"`, ' '.repeat(60_000), ' '.repeat(60_000), '}']), {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
  );
  add(
    'chunked body (valid)',
    post(ctx, chunked(['{"query":', '"{ __typename }"}']), {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
  );

  // Empty bodies.
  add('empty body, JSON type', post(ctx, ''));
  add('empty body, no type', rawHttp(ctx, { body: '' }));
  add('whitespace body', post(ctx, ' \n\t '));
  add('POST without body or length', rawHttp(ctx, { headers: [JSON_CT] }));

  // Wrong content types.
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/graphql',
    'application/jsonp',
    'text/html',
    'application/xml',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'application/json, text/html',
    'application/graphql-response+json',
    'application/jsonx',
    '',
    'application/json\t;',
    '*/*',
  ]) {
    add(`content type "${type}"`, rawHttp(ctx, { headers: [['Content-Type', type]], body: q }));
  }
  add('no content type', rawHttp(ctx, { body: q }));
  add(
    'two content types',
    rawHttp(ctx, { headers: [JSON_CT, ['Content-Type', 'text/plain']], body: q }),
  );

  // GET with bad query strings.
  const enc = encodeURIComponent;
  for (const [path, preflight] of [
    ['/graphql', true],
    ['/graphql?query=', true],
    ['/graphql?query={__typename}', false],
    ['/graphql?query={__typename}', true],
    ['/graphql?query=%ZZ', true],
    ['/graphql?query=%E0%A4%A', true],
    [`/graphql?query=${enc('mutation { deleteItem(input: {id: "x"}) { deletedId } }')}`, true],
    ['/graphql?query={__typename}&variables={bad', true],
    ['/graphql?query={__typename}&variables=[]', true],
    ['/graphql?query={__typename}&variables="str"', true],
    ['/graphql?query={__typename}&variables=null', true],
    ['/graphql?query={__typename}&extensions=xx', true],
    ['/graphql?query={__typename}&operationName=Nope', true],
    ['/graphql?query[]=a&query[]=b', true],
    ['/graphql?query={__typename}&query={__typename}', true],
    [`/graphql?query=${enc('{ __schema { types { name } } }')}`, true],
    [`/graphql?query=${'{__typename}'.repeat(1500)}`, true],
    ['/graphql?%', true],
    ['/graphql?query=%00', true],
    ['/graphql?query=%7B__typename%7D&variables=%7B%22a%22%3A' + '%5B'.repeat(2000), true],
    [`/graphql?query=${enc(`{ node(id: "${ctx.itemId}") { id } }`)}`, true],
    [`/graphql?query=${enc('{ initiative(key: "\' OR 1=1 --") { id } }')}`, true],
  ] as const) {
    add(
      `GET ${path.slice(0, 60)}${preflight ? ' (preflight)' : ''}`,
      get(path, { headers: preflight ? [PREFLIGHT] : [] }),
    );
  }

  // Methods.
  for (const method of [
    'DELETE',
    'PUT',
    'PATCH',
    'OPTIONS',
    'TRACE',
    'FOO',
    'get',
    'PROPFIND',
    'M-SEARCH',
  ]) {
    add(`method ${method}`, rawHttp(ctx, { method, headers: [JSON_CT], body: q }));
  }
  add('method HEAD', rawHttp(ctx, { method: 'HEAD' }), { head: true });
  add('method CONNECT', rawHttp(ctx, { method: 'CONNECT', path: '127.0.0.1:80' }), {
    noAnswerOk: true,
  });
  add('HTTP/2 preface', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
  add('no HTTP version', Buffer.from('GET /graphql\r\n\r\n'));
  add('HTTP/9.9', rawHttp(ctx, { method: 'GET', version: 'HTTP/9.9' }));
  add(
    'HTTP/1.0 without Host',
    rawHttp(ctx, { method: 'GET', path: '/livez', version: 'HTTP/1.0', host: false }),
  );
  add('HTTP/1.1 without Host', rawHttp(ctx, { host: false, headers: [JSON_CT], body: q }));
  add(
    'TLS client hello',
    Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]),
  );
  add('spaces in the method', Buffer.from('G E T /graphql HTTP/1.1\r\nHost: x\r\n\r\n'));
  add('binary garbage', Buffer.from(Array.from({ length: 512 }, () => r.int(0, 255))));

  // Headers.
  add('20 kB header', rawHttp(ctx, { headers: [JSON_CT, ['X-Big', 'a'.repeat(20_000)]], body: q }));
  add(
    '200 headers of 100 bytes',
    rawHttp(ctx, {
      headers: [
        JSON_CT,
        ...Array.from({ length: 200 }, (_, i) => [`X-H${i}`, 'b'.repeat(100)] as [string, string]),
      ],
      body: q,
    }),
  );
  add(
    '3,000 small headers',
    rawHttp(ctx, {
      headers: [
        JSON_CT,
        ...Array.from({ length: 3000 }, (_, i) => [`X${i}`, '1'] as [string, string]),
      ],
      body: q,
    }),
  );
  add('NUL in a header', rawHttp(ctx, { headers: [JSON_CT, ['X-Nul', 'a\u0000b']], body: q }));
  const noColon = rawHttp(ctx, { headers: [JSON_CT, ['X-No-Colon', '']], body: q });
  add(
    'header without colon',
    Buffer.from(noColon.toString('latin1').replace('X-No-Colon: ', 'X-No-Colon'), 'latin1'),
  );
  add(
    'obsolete line folding',
    rawHttp(ctx, { headers: [JSON_CT, ['X-Fold', 'a\r\n b']], body: q }),
  );
  add('two Host headers', rawHttp(ctx, { headers: [JSON_CT, ['Host', 'evil.example']], body: q }));
  add(
    'Authorization: huge token',
    rawHttp(ctx, {
      auth: false,
      headers: [JSON_CT, ['Authorization', `Bearer ${'a'.repeat(10_000)}`]],
      body: q,
    }),
  );
  add(
    'Authorization: latin-1 byte',
    rawHttp(ctx, {
      auth: false,
      headers: [JSON_CT, ['Authorization', 'Bearer jindu_\u00e9\u00ff']],
      body: q,
    }),
  );
  add(
    'Authorization: two tokens',
    rawHttp(ctx, { headers: [JSON_CT, ['Authorization', 'Bearer jindu_other']], body: q }),
  );
  add(
    'Authorization: SQL',
    rawHttp(ctx, {
      auth: false,
      headers: [JSON_CT, ['Authorization', "Bearer ' OR 1=1 --"]],
      body: q,
    }),
  );
  add(
    'Authorization: empty Bearer',
    rawHttp(ctx, { auth: false, headers: [JSON_CT, ['Authorization', 'Bearer']], body: q }),
  );
  add(
    'Expect: 100-continue',
    rawHttp(ctx, { headers: [JSON_CT, ['Expect', '100-continue']], body: q }),
  );
  add('Expect: nonsense', rawHttp(ctx, { headers: [JSON_CT, ['Expect', 'nonsense']], body: q }));
  add(
    'Content-Encoding: gzip (not gzip)',
    rawHttp(ctx, { headers: [JSON_CT, ['Content-Encoding', 'gzip']], body: q }),
  );

  // Lengths and truncation.
  for (const length of ['abc', '-5', '1, 2', '1e3', '0x10', '99999999999999999999', ' 10']) {
    add(`Content-Length ${length}`, post(ctx, q, { contentLength: length }));
  }
  add(
    'two different Content-Lengths',
    post(ctx, q, { headers: [JSON_CT, ['Content-Length', '3']] }),
  );
  add(
    'Content-Length and chunked',
    post(ctx, chunked([q]), { headers: [JSON_CT, ['Transfer-Encoding', 'chunked']] }),
  );
  add(
    'Transfer-Encoding gzip',
    post(ctx, q, { contentLength: null, headers: [JSON_CT, ['Transfer-Encoding', 'gzip']] }),
  );
  add(
    'bad chunk size',
    post(ctx, `zz\r\n${q}\r\n0\r\n\r\n`, {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
  );
  add('declared length over the limit', post(ctx, q, { contentLength: '200000' }));
  add('declared length 2^53', post(ctx, q, { contentLength: String(2 ** 53) }));
  add(
    'shorter body than declared, connection held',
    post(ctx, q.slice(0, 10), { contentLength: '1000' }),
    {
      timeoutMs: 400,
      noAnswerOk: true,
    },
  );
  add(
    'shorter body than declared, then end of stream',
    post(ctx, q.slice(0, 10), { contentLength: '1000' }),
    {
      halfClose: true,
      timeoutMs: 1500,
      noAnswerOk: true,
    },
  );
  add(
    'truncated chunked body, then end of stream',
    post(ctx, chunked([q.slice(0, 10)], false), {
      contentLength: null,
      headers: [JSON_CT, ['Transfer-Encoding', 'chunked']],
    }),
    { halfClose: true, timeoutMs: 1500, noAnswerOk: true },
  );
  add(
    'truncated headers, then end of stream',
    Buffer.from('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Ty'),
    {
      halfClose: true,
      timeoutMs: 1500,
      noAnswerOk: true,
    },
  );
  add(
    'longer body than declared',
    post(ctx, `${q}GARBAGE / HTTP/1.1\r\n\r\n`, { contentLength: String(q.length) }),
  );

  // Body shapes.
  for (const body of [
    '{"query":1}',
    '{"query":null}',
    '{"query":[]}',
    '{"query":{}}',
    '{"query":true}',
    '{"query":""}',
    '{"query":"   "}',
    '{"query":"{ __typename }","variables":"{}"}',
    '{"query":"{ __typename }","variables":"x"}',
    '{"query":"{ __typename }","variables":1}',
    '{"query":"{ __typename }","variables":[]}',
    '{"query":"{ __typename }","variables":true}',
    '{"query":"{ __typename }","operationName":1}',
    '{"query":"{ __typename }","operationName":"Nope"}',
    '{"query":"query A { __typename } query B { __typename }","operationName":"Nope"}',
    '{"query":"query A { __typename } query B { __typename }"}',
    '{"query":"query A { __typename } query B { __typename }","operationName":["A"]}',
    '{"query":"{ __typename }","extensions":"x"}',
    '{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}',
    '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}',
    '{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"abc"}}}',
    '{"query":"{ __typename }","foo":1,"__proto__":{"x":1}}',
    '[{"query":"{ __typename }"}]',
    '[]',
    `[${Array.from({ length: 100 }, () => q).join(',')}]`,
    '[1,2]',
    '"just a string"',
    '123',
    'null',
    'true',
    '{}',
    '{"query":"{ __typename \\u0000 }"}',
    '{"query":"subscription { x }"}',
    '{"query":"{ __typename"}',
    '{"query":"}{"}',
    '{"query":"{ __typename @nope }"}',
    '{"query":"{ __typename @skip(if: $x) }"}',
    '{"query":"fragment A on Query { ...A } { ...A }"}',
    '{"query":"{ __schema { types { name fields { name } } } }"}',
    '{"query":"{ initiatives { workstreams { items(first: 1000000) { totalCount } } } }"}',
    '{"query":"{ initiatives { workstreams { items(first: -1) { totalCount } } } }"}',
    `{"query":"{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }"}`,
    `{"query":"{ ${'__typename '.repeat(1200)}}"}`,
    `{"query":"{ initiatives ${'{ workstreams '.repeat(20)}{ id }${' }'.repeat(20)} }"}`,
    `{"query":"mutation { deleteItem(input: {id: \\"${ctx.itemId}\\"}) { deletedId } }","operationName":null}`,
    `{"query":"{ node(id: \\"${ctx.itemId}\\") { id } }","variables":null,"operationName":null,"extensions":null}`,
  ]) {
    add(`body ${body.slice(0, 60)}`, post(ctx, body));
  }

  // Paths.
  for (const path of [
    '/graphql/',
    '/GRAPHQL',
    '/graphql%00',
    '/graphql%2F',
    '//[',
    '//',
    '/../../etc/passwd',
    '/%',
    '/graphql#frag',
    'http://evil.example/graphql',
    'http://[::1/graphql',
    '*',
    '/%E0%A4%A',
    `/${'a'.repeat(10_000)}`,
  ]) {
    add(`path ${path.slice(0, 40)}`, rawHttp(ctx, { path, headers: [JSON_CT], body: q }));
    add(`GET path ${path.slice(0, 40)}`, rawHttp(ctx, { method: 'GET', path }));
  }
  add('POST /graphiql', rawHttp(ctx, { path: '/graphiql', headers: [JSON_CT], body: q }));
  add('POST /livez', rawHttp(ctx, { path: '/livez', headers: [JSON_CT], body: q }));
  add('GET /readyz', rawHttp(ctx, { method: 'GET', path: '/readyz' }));
  // Pages go out in the coding Accept-Encoding weighs best: malformed weights and lists.
  for (const accept of [
    'br;q=abc',
    'gzip;q=-1, br;q=2',
    ';;,, ,;q=1',
    '*;q=0, identity;q=0',
    `${'x, '.repeat(2_000)}br`,
    'br\u0000',
  ])
    for (const path of ['/', '/app.js'])
      add(
        `GET ${path} Accept-Encoding ${accept.slice(0, 20)}`,
        rawHttp(ctx, { method: 'GET', path, headers: [['Accept-Encoding', accept]] }),
      );

  // Random variants: a valid request, mangled.
  const valid = post(ctx, q).toString('latin1');
  const count = cases.length + randomCount;
  while (cases.length < count) {
    const i = cases.length;
    const what = r.int(0, 4);
    if (what === 0) {
      const at = r.int(0, valid.length - 1);
      add(`random truncation at ${at}`, Buffer.from(valid.slice(0, at), 'latin1'), {
        halfClose: true,
        timeoutMs: 1500,
        noAnswerOk: true,
      });
    } else if (what === 1) {
      const bytes = Buffer.from(valid, 'latin1');
      for (let k = r.int(1, 4); k > 0; k--) bytes[r.int(0, bytes.length - 1)] = r.int(0, 255);
      add(`random byte flips #${i}`, bytes, { timeoutMs: 1500, noAnswerOk: true, halfClose: true });
    } else if (what === 2) {
      const body = q.slice(0, r.int(0, q.length));
      add(`random JSON prefix ${JSON.stringify(body)}`, post(ctx, body));
    } else if (what === 3) {
      const body = Array.from({ length: r.int(1, 200) }, () =>
        String.fromCharCode(r.int(0, 0x2fff)),
      ).join('');
      add(`random text body #${i}`, post(ctx, body));
    } else {
      const type = r.pick([
        'text/plain',
        'application/json',
        'application/octet-stream',
        'application/json; x',
      ])!;
      add(
        `random body shape #${i} (${type})`,
        rawHttp(ctx, {
          headers: [['Content-Type', type]],
          body: JSON.stringify({
            query: r.pick([1, null, '{ __typename }', ['x'], { a: 1 }]),
            variables: r.pick([null, 'x', [], {}, 1]),
            operationName: r.pick([null, 1, 'Nope', undefined]),
          }),
        }),
      );
    }
  }
  return cases;
}
