import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costVariables, inputsFit } from '../../../src/server/cost-variables.js';

const schema = buildSchema(`
  enum Status { DONE PAUSED }
  input Update { id: ID!, status: Status!, percent: Int = 0 }
  type Query { items(first: Int, status: Status): [Int] }
  type Mutation { set(input: Update!, many: [Update!], first: Int): Int }
`);

const operationOf = (text: string) =>
  parse(text).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;

describe('costVariables', () => {
  it('coerces what the cost can read: defaults filled in, values checked', () => {
    const operation = operationOf(
      'query($a: Int = 98, $s: Status) { items(first: $a, status: $s) }',
    );
    expect(costVariables(schema, operation, { s: 'DONE' })).toEqual({ a: 98, s: 'DONE' });
    expect(costVariables(schema, operation, { a: 2147483648 })).toBeNull();
    expect(costVariables(schema, operation, { s: 'LATER' })).toBeNull();
  });

  it('passes input objects as sent, checked by execution instead', () => {
    const operation = operationOf(
      'mutation($in: Update!, $many: [Update!], $n: Int = 5) { set(input: $in, many: $many, first: $n) }',
    );
    const input = { id: '1', status: 'DONE' };
    const many = [{ id: 2 }, 'not an object'];
    const variables = costVariables(schema, operation, { in: input, many });
    expect(variables).toEqual({ in: input, many, n: 5 });
    // The same objects, not coerced copies: no field default added, nothing refused.
    expect(variables!.in).toBe(input);
    expect(variables!.many).toBe(many);
    expect(costVariables(schema, operation, {})).toEqual({ n: 5 });
    // Only what the client sent: not what every object inherits.
    const named = operationOf('mutation($toString: Update!) { set(input: $toString) }');
    expect(Object.hasOwn(costVariables(schema, named, {})!, 'toString')).toBe(false);
  });

  it('tells whether the input objects passed as sent fit, for a refusal', () => {
    const operation = operationOf('mutation($in: Update!, $n: Int) { set(input: $in, first: $n) }');
    expect(inputsFit(schema, operation, { in: { id: '1', status: 'DONE' }, n: 'no' })).toBe(true);
    expect(inputsFit(schema, operation, { in: { id: '1', status: 'LATER' } })).toBe(false);
    expect(inputsFit(schema, operation, { in: 'garbage' })).toBe(false);
    expect(inputsFit(schema, operation, {})).toBe(false);
    expect(inputsFit(schema, operationOf('query($n: Int) { items(first: $n) }'), {})).toBe(true);
  });
});
