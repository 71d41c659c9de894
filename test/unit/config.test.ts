import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  databaseUrlProblem,
  loadConfig,
  parseFlag,
  pgPrepareWanted,
} from '../../src/config.js';

/** The problems loadConfig lists for an environment (empty when it is accepted). */
function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
    return '';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

describe('loadConfig', () => {
  it.each(['0x10', '1e3', '0b1', '1_000', '12abc', '1.5'])(
    'refuses JINDU_RATE_LIMIT=%j, which Number() reads as a number or not at all',
    (raw) => {
      expect(problemsOf({ JINDU_RATE_LIMIT: raw })).toContain(
        `JINDU_RATE_LIMIT must be a whole number 0–1000000000, got "${raw}"`,
      );
    },
  );

  it('reads whole decimal numbers, with a sign and surrounding space', () => {
    expect(loadConfig({ JINDU_RATE_LIMIT: ' 250 ', PORT: '0' })).toMatchObject({
      rateLimitPerMinute: 250,
      port: 0,
    });
    expect(problemsOf({ PORT: '-1' })).toContain('PORT must be a whole number 0–65535');
  });

  it('refuses a mistyped switch, JINDU_SQLITE_GROUP_COMMIT and JINDU_PG_PREPARE included', () => {
    const message = problemsOf({
      JINDU_SQLITE_GROUP_COMMIT: 'maybe',
      JINDU_PG_PREPARE: 'sometimes',
      JINDU_ANSWER_CACHE: 'yes please',
    });
    expect(message).toContain('JINDU_SQLITE_GROUP_COMMIT must be true or false, got "maybe"');
    expect(message).toContain('JINDU_PG_PREPARE must be true or false, got "sometimes"');
    expect(message).toContain('JINDU_ANSWER_CACHE must be true or false');
  });

  it('takes the same words for every switch', () => {
    for (const [raw, value] of [
      ['true', true],
      ['ON', true],
      ['yes', true],
      ['1', true],
      ['false', false],
      ['Off', false],
      ['no', false],
      ['0', false],
    ] as const) {
      expect(parseFlag(raw, !value)).toBe(value);
      expect(loadConfig({ JINDU_SQLITE_GROUP_COMMIT: raw }).sqliteGroupCommit).toBe(value);
      expect(pgPrepareWanted({ JINDU_PG_PREPARE: raw })).toBe(value);
    }
    expect(parseFlag(undefined, true)).toBe(true);
    expect(parseFlag('  ', false)).toBe(false);
    expect(parseFlag('maybe', true)).toBeNull();
  });
});

// Left to the drivers these failed in words that named no setting: "journal_mode=memory",
// MikroORM's "clientUrl … missing the pathname", "Invalid URL", "URI malformed".
describe('DATABASE_URL', () => {
  it.each([
    ['sqlite:', 'DATABASE_URL sqlite: needs a path'],
    [
      'postgres://127.0.0.1:5432/',
      'DATABASE_URL names no database: postgres://…@127.0.0.1:5432/DATABASE',
    ],
    ['postgres://127.0.0.1:5432', 'DATABASE_URL names no database'],
    ['postgres://u:p%zz@h/db', 'DATABASE_URL is not a valid URL'],
    ['postgres://u:p@[::1/db', 'DATABASE_URL is not a valid URL'],
    ['mysql://h/db', 'DATABASE_URL must be sqlite:PATH or postgres://'],
  ])('refuses %j, naming the setting', (url, problem) => {
    expect(databaseUrlProblem(url)).toContain(problem);
    expect(problemsOf({ DATABASE_URL: url })).toContain(problem);
  });

  it.each([
    'sqlite:./data/jindu.sqlite',
    'sqlite::memory:',
    'postgres://postgres@127.0.0.1:5432/jindu',
    'postgresql://u:p%40ss@db.example:5432/jindu?sslmode=verify-full',
  ])('takes %j', (url) => {
    expect(databaseUrlProblem(url)).toBeNull();
  });
});
