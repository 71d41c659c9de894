import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asyncContextKind, NODE_FLAGS } from '../../../src/server/async-context.js';

describe('async context', () => {
  it('npm start and npm run jindu start Node with NODE_FLAGS', () => {
    const { scripts } = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { scripts: Record<string, string> };
    for (const name of ['start', 'jindu'])
      expect(scripts[name], name).toContain(`node ${NODE_FLAGS.join(' ')} bin/jindu.js`);
  });

  // The test workers run with NODE_FLAGS too (vitest.config.ts), as the server does.
  it('is kept in frames, and the storage still follows awaits', async () => {
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
