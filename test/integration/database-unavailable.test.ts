import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isDatabaseBroken, isDatabaseUnavailable } from '../../src/db/connection-errors.js';
import { formatError } from '../../src/graphql/errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('a database outage is told apart from other failures', () => {
  it.each([
    [
      'a refused connection (AggregateError of both addresses)',
      () => {
        const err = new AggregateError([
          withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
        ]);
        return err;
      },
    ],
    [
      'a session ended by the server',
      () => withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['a restart in progress', () => withCode('the database system is starting up', '57P03')],
    [
      'a broken client',
      () => new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'no free pooled connection in time',
      () => new Error('timeout exceeded when trying to connect'),
    ],
    [
      'a wrapped cause',
      () => new Error('query failed', { cause: new Error('Connection terminated unexpectedly') }),
    ],
  ])('%s is unavailable', (_, make) => {
    expect(isDatabaseUnavailable(make())).toBe(true);
  });

  it.each([
    [
      'a unique violation',
      () => withCode('duplicate key value violates unique constraint', '23505'),
    ],
    ['a syntax error', () => withCode('syntax error at or near', '42601')],
    ['a plain bug', () => new TypeError('x is undefined')],
  ])('%s is not', (_, make) => {
    expect(isDatabaseUnavailable(make())).toBe(false);
  });

  it('formatError answers DATABASE_UNAVAILABLE with no SQL, and logs nothing', () => {
    const original = withCode('terminating connection due to administrator command', '57P01');
    const error = new GraphQLError('x', { path: ['setItemStatus'], originalError: original });
    const logged: unknown[] = [];
    const formatted = formatError(error.toJSON(), error, (e) => logged.push(e));
    expect(formatted.extensions).toEqual({ code: 'DATABASE_UNAVAILABLE', retryAfter: 2 });
    expect(formatted.message).toContain('idempotencyKey');
    expect(logged).toEqual([]);
  });

  it.each([
    ['SQLITE_READONLY', 'attempt to write a readonly database'],
    ['SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'],
    ['SQLITE_FULL', 'database or disk is full'],
    ['SQLITE_IOERR_WRITE', 'disk I/O error'],
    ['53100', 'could not extend file: No space left on device'],
    ['25006', 'cannot execute UPDATE in a read-only transaction'],
  ])(
    'a database that cannot take writes (%s) is DATABASE_UNAVAILABLE, and logged',
    (code, message) => {
      const original = withCode(message, code);
      expect(isDatabaseBroken(new Error('wrapped', { cause: original }))).toBe(true);
      const error = new GraphQLError('x', { path: ['setItemStatus'], originalError: original });
      const logged: unknown[] = [];
      const formatted = formatError(error.toJSON(), error, (e) => logged.push(e));
      expect(formatted.extensions).toEqual({ code: 'DATABASE_UNAVAILABLE', retryAfter: 2 });
      expect(logged).toEqual([original]);
    },
  );

  it('formatError still masks a bug as INTERNAL_SERVER_ERROR', () => {
    const error = new GraphQLError('x', { path: ['a'], originalError: new TypeError('boom') });
    const formatted = formatError(error.toJSON(), error, () => undefined);
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
