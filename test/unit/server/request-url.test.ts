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
  it('reads plain paths and every query as the URL parser does', () => {
    for (const target of [
      '/',
      '/graphql',
      '/graphql/',
      '/api/export',
      '/metrics',
      '/a_b-c/D9',
      '/graphql?query=%7B__typename%7D',
      '/api/export?initiative=hive&format=csv',
      '/graphql#frag',
      '/graphql?a=1#frag',
      '/app.js',
      '/GraphQL',
    ])
      expect(parsed(target), target).toEqual(byParser(target));
  });

  it('keeps a doubled slash as sent, where the parser would read a host name', () => {
    expect(parsed('//graphql').pathname).toBe('//graphql');
    expect(parsed('//graphql?x=1')).toMatchObject({ pathname: '//graphql', search: '?x=1' });
  });

  it('keeps dot segments, escapes and backslashes as sent, where the parser would resolve them', () => {
    for (const target of [
      '/./graphql',
      '/x/../graphql',
      '/%2e%2e/metrics',
      '/x/%2E%2E/metrics',
      '/graph%71l',
      '/a\\..\\metrics',
      '/a b',
      '/中文',
    ])
      expect(parsed(target), target).toEqual({ pathname: target, search: '', params: [] });
    expect(parsed('/x/../metrics?format=prometheus')).toEqual({
      pathname: '/x/../metrics',
      search: '?format=prometheus',
      params: [['format', 'prometheus']],
    });
    // Absolute form: the path after the authority, as sent.
    expect(parsed('http://127.0.0.1:4000/x/../livez?a=1')).toEqual({
      pathname: '/x/../livez',
      search: '?a=1',
      params: [['a', '1']],
    });
    expect(parsed('http://127.0.0.1:4000').pathname).toBe('/');
    expect(parsed('*').pathname).toBe(byParser('*').pathname);
  });
});
