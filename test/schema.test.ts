import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildSchema as buildSdl,
  findBreakingChanges,
  findDangerousChanges,
  isNonNullType,
  parse,
  validate,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { jinduSchema } from '../src/graphql/schema.js';
import { renderSchema, SCHEMA_FILE } from '../src/graphql/schema-file.js';

describe('schema/schema.graphql', () => {
  it('is what the code generates (run `npm run schema` after changing the API)', async () => {
    const committed = readFileSync(fileURLToPath(SCHEMA_FILE), 'utf8');
    const generated = await renderSchema();
    if (committed !== generated) {
      const breaking = findBreakingChanges(buildSdl(committed), buildSdl(generated)).map(
        (c) => `BREAKING ${c.type}: ${c.description}`,
      );
      const dangerous = findDangerousChanges(buildSdl(committed), buildSdl(generated)).map(
        (c) => `DANGEROUS ${c.type}: ${c.description}`,
      );
      expect.fail(
        `schema/schema.graphql is stale; run npm run schema.\n${[...breaking, ...dangerous].join('\n') || 'no breaking changes'}`,
      );
    }
  });

  it('keeps the core contract of the architecture guide', async () => {
    // Root fields by their required arguments and type: optional arguments (asOf…) extend them.
    const query = (await jinduSchema()).getQueryType()!.getFields();
    const roots = Object.values(query).map((f) => {
      const required = f.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      const args = required.map((a) => `${a.name}: ${String(a.type)}`).join(', ');
      return `${f.name}${args ? `(${args})` : ''}: ${String(f.type)}`;
    });
    const sdl = `${await renderSchema()}\n${roots.join('\n')}`;
    for (const line of [
      'initiatives: [Initiative!]!',
      'initiative(key: String!): Initiative',
      'node(id: ID!): Node',
      'enum ItemStatus',
      'setItemStatuses(input: SetItemStatusesInput!): ItemsPayload!',
      'userErrors: [UserError!]!',
      'percent: Float',
      'updatedAt: DateTimeISO!',
    ]) {
      expect(sdl).toContain(line);
    }
  });

  it('accepts every operation in schema/examples.graphql', async () => {
    const schema = await jinduSchema();
    const doc = parse(
      readFileSync(fileURLToPath(new URL('../schema/examples.graphql', import.meta.url)), 'utf8'),
    );
    expect(validate(schema, doc)).toEqual([]);
    expect(doc.definitions.length).toBeGreaterThanOrEqual(3);
  });
});

describe('field resolvers', () => {
  // A getter read through type-graphql's wrapper costs a resolver call per value; a forecast of
  // every node of a tree read four per node.
  it('leave getters without arguments to the default resolver, on every object type', async () => {
    const schema = await jinduSchema();
    const resolved = (type: string, field: string) => {
      const t = schema.getType(type);
      if (!t || !('getFields' in t)) throw new Error(`no type ${type}`);
      return (t.getFields() as Record<string, { resolve?: unknown }>)[field]!.resolve;
    };
    for (const [type, field] of [
      ['Forecast', 'status'],
      ['Forecast', 'p85'],
      ['Health', 'status'],
      ['Progress', 'percent'],
      ['Workstream', 'name'],
    ])
      expect(resolved(type!, field!), `${type}.${field}`).toBeUndefined();
    // Fields with arguments keep theirs.
    expect(resolved('Workstream', 'forecast')).toBeTypeOf('function');
  });
});
