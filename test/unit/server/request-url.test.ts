import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../../src/server/request-guards.js';

const parsed = (target: string) => {
  const url = requestUrl({ url: target } as IncomingMessage);
  return { pathname: url.pathname, search: url.search, params: [...url.searchParams] };
};
const byParser = (target: string) => {
  const url = target.startsWith('/')
    ? new URL(`http://localhost${target}`)
    : new URL(target, 'http://localhost/');
  return { pathname: url.pathname, search: url.search, params: [...url.searchParams] };
};

describe('requestUrl', () => {
  it('reads every target as the URL parser does, plain paths included', () => {
    for (const target of [
      '/',
      '/graphql',
      '/graphql/',
      '/api/export',
      '/metrics',
      '/a_b-c/D9',
      '/graphql?query=%7B__typename%7D',
      '/api/export?initiative=hive&format=csv',
      '/./graphql',
      '/x/../graphql',
      '/graph%71l',
      '/graphql#frag',
      '/app.js',
      '/GraphQL',
      '/a b',
      '/中文',
      '/a\\b',
      'graphql',
      '*',
    ])
      expect(parsed(target), target).toEqual(byParser(target));
  });

  it('keeps a doubled slash as sent, where the parser would read a host name', () => {
    expect(parsed('//graphql').pathname).toBe('//graphql');
    expect(parsed('//graphql?x=1')).toMatchObject({ pathname: '//graphql', search: '?x=1' });
  });
});
