import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asyncContextKind } from '../../../src/server/async-context.js';

describe('async context', () => {
  // `npm test`, like `npm start` and `npm run bench`, runs Node with the options in .npmrc.
  it('is kept in frames when run through npm, and the storage still follows awaits', async () => {
    expect(readFileSync(new URL('../../../.npmrc', import.meta.url), 'utf8')).toMatch(
      /^node-options=--experimental-async-context-frame$/m,
    );
    expect(asyncContextKind()).toBe('frames');
    const storage = new AsyncLocalStorage<number>();
    const seen = await Promise.all(
      [1, 2, 3].map((n) =>
        storage.run(n, async () => {
          await new Promise((r) => setTimeout(r, 3 - n));
          await null;
          return storage.getStore();
        }),
      ),
    );
    expect(seen).toEqual([1, 2, 3]);
    expect(storage.getStore()).toBeUndefined();
  });
});
