import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CacheableFile, chooseCoding } from '../../../src/server/cacheable-file.js';

const coding = (acceptEncoding?: string) =>
  chooseCoding({
    headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
  });

describe('the coding a request takes (Accept-Encoding)', () => {
  it.each([
    // No header, or an empty one: the body as it is.
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    // What browsers send: Chromium lists gzip first, and brotli wins the tie.
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['GZIP', 'gzip'],
    // Weights decide before the server's preference.
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['deflate', 'identity'],
    // Nothing acceptable, not even identity: still the readable body, never an empty answer.
    ['identity;q=0', 'identity'],
    ['*;q=0', 'identity'],
    ['compress, deflate;q=1', 'identity'],
  ])('%j → %s', (header, expected) => {
    expect(coding(header)).toBe(expected);
  });
});

describe('a kept file in each coding', () => {
  const text = Buffer.from('进度 progress '.repeat(500));

  it('compresses once per coding, to a body that decompresses to the file, with its own ETag', async () => {
    const file = new CacheableFile(text, true);
    const [br, gz] = await Promise.all([file.coded('br'), file.coded('gzip')]);
    expect(brotliDecompressSync(br!.body).equals(text)).toBe(true);
    expect(gunzipSync(gz!.body).equals(text)).toBe(true);
    expect(br!.body.length).toBeLessThan(text.length / 10);
    expect(new Set([file.etag, br!.etag, gz!.etag]).size).toBe(3);
    expect(br!.etag).toMatch(/^"[\w-]{22}-br"$/);
    expect(gz!.etag).toMatch(/^"[\w-]{22}-gz"$/);
    // Kept: the same bytes, not compressed again.
    expect((await file.coded('br'))!.body).toBe(br!.body);
  });

  it('keeps a body that compression would not make smaller as it is', async () => {
    const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 7) % 256));
    const file = new CacheableFile(random, true);
    expect(await file.coded('gzip')).toBeNull();
  });
});
