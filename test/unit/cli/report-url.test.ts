import { describe, expect, it } from 'vitest';
import { graphqlEndpoint, reportUrlFromEnv } from '../../../src/cli/report-url.js';
import { usageLine } from '../../../src/cli/usage-errors.js';

describe('reportUrlFromEnv', () => {
  it.each([
    [{}, 'http://127.0.0.1:4000/graphql'],
    [{ PORT: '4100' }, 'http://127.0.0.1:4100/graphql'],
    [{ HOST: 'jindu.internal', PORT: '80' }, 'http://jindu.internal:80/graphql'],
    [{ HOST: '0.0.0.0' }, 'http://127.0.0.1:4000/graphql'],
    [{ HOST: '::' }, 'http://[::1]:4000/graphql'],
    [{ HOST: 'fe80::1' }, 'http://[fe80::1]:4000/graphql'],
    [{ JINDU_URL: 'https://jindu.example/graphql', PORT: '1' }, 'https://jindu.example/graphql'],
    [{ JINDU_URL: ' ', PORT: '4200' }, 'http://127.0.0.1:4200/graphql'],
    [{ JINDU_URL: 'http://127.0.0.1:4124' }, 'http://127.0.0.1:4124/graphql'],
  ])('%j → %s', (env, url) => {
    expect(reportUrlFromEnv(env)).toEqual({ url });
  });

  it.each([
    [{ JINDU_URL: 'localhost:4000' }, 'JINDU_URL must be an http:// or https:// URL'],
    [{ PORT: '0' }, 'PORT=0 picks a free port'],
    [{ PORT: 'x' }, 'PORT must be 1–65535'],
    [{ PORT: '0x10' }, 'PORT must be 1–65535'],
  ])('%j is a usage problem', (env, problem) => {
    const found = reportUrlFromEnv(env);
    expect('problem' in found && found.problem).toContain(problem);
  });
});

describe('graphqlEndpoint', () => {
  it.each([
    ['http://127.0.0.1:4124', 'http://127.0.0.1:4124/graphql'],
    ['http://127.0.0.1:4124/', 'http://127.0.0.1:4124/graphql'],
    ['https://jindu.example', 'https://jindu.example/graphql'],
    ['http://127.0.0.1:4124/graphql', 'http://127.0.0.1:4124/graphql'],
    ['https://proxy.example/jindu/graphql', 'https://proxy.example/jindu/graphql'],
    ['http://127.0.0.1:4124/?x=1', 'http://127.0.0.1:4124/?x=1'],
    ['not a url', 'not a url'],
  ])('%s → %s', (given, endpoint) => {
    expect(graphqlEndpoint(given)).toBe(endpoint);
  });
});

describe('usageLine', () => {
  it('turns commander errors into one line with a pointer to the help', () => {
    expect(usageLine('jindu', "error: unknown command 'serv'\n(Did you mean serve?)\n")).toBe(
      "jindu: unknown command 'serv' (did you mean serve?); see jindu --help\n",
    );
    expect(usageLine('jindu report', "error: unknown option '--x\x1b[2J'\n")).toBe(
      "jindu report: unknown option '--x'; see jindu report --help\n",
    );
  });
});
