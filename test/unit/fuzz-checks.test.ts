import { describe, expect, it } from 'vitest';
import { KnownStrings, problemsOf, type Exchange } from '../helpers/fuzz-checks.js';

/** The fuzz tests pass only as well as their checks catch: a leak they miss passes unseen. */

describe('the fuzz checks', () => {
  it('catch what they look for and let echoes of the caller’s own input pass', () => {
    const known = new KnownStrings();
    known.addAll({ k: "x' UNION SELECT digest FROM api_token --", p: 'file:///etc/passwd' });
    const json = { 'content-type': 'application/json' };
    const answer = (status: number, body: unknown): Exchange => ({
      request: 'test',
      status,
      headers: json,
      text: JSON.stringify(body),
    });
    const error = (message: string, code = 'BAD_USER_INPUT') => ({
      errors: [{ message, extensions: { code } }],
    });
    expect(problemsOf(answer(200, { data: { ok: true } }), known)).toEqual([]);
    expect(
      problemsOf(
        answer(
          400,
          error(
            'Variable "$k" got invalid value "x\' UNION SELECT digest FROM api_token --"; at "file:///etc/passwd"',
          ),
        ),
        known,
      ),
    ).toEqual([]);
    const caught = (x: Exchange) => problemsOf(x, known).join('\n');
    expect(caught(answer(500, error('x')))).toMatch(/status 500/);
    expect(caught(answer(200, error('Internal server error', 'INTERNAL_SERVER_ERROR')))).toMatch(
      /INTERNAL_SERVER_ERROR/,
    );
    expect(caught(answer(200, error('SQLITE_ERROR: no such column: x')))).toMatch(/SQL text/);
    expect(caught(answer(200, error('insert into "item" ("name") values ($1)')))).toMatch(/SQL/);
    expect(caught(answer(200, error('duplicate key value violates unique constraint')))).toMatch(
      /SQL/,
    );
    expect(caught(answer(200, error('at /work/main/src/x.ts:12:3')))).toMatch(/file path/);
    expect(caught(answer(200, error('Error: x\n    at f (node:internal/x:1:2)')))).toMatch(
      /stack trace/,
    );
    expect(
      caught(answer(200, { errors: [{ message: 'x', extensions: { stacktrace: [] } }] })),
    ).toMatch(/stacktrace/);
    expect(caught({ request: 'test', status: 400, headers: {}, text: 'Bad Request' })).toMatch(
      /not JSON/,
    );
    expect(caught({ request: 'test', status: 400, headers: {}, text: '' })).toBe('');
    expect(caught({ request: 'test', headers: {}, text: '', error: 'ECONNRESET' })).toMatch(
      /no answer/,
    );
  });
});
