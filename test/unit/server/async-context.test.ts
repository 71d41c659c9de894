import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  asyncContextKind,
  NODE_FLAGS,
  YOUNG_SEMI_SPACE_MB,
} from '../../../src/server/async-context.js';

describe('async context', () => {
  it('npm start and npm run jindu start Node with NODE_FLAGS', () => {
    const { scripts } = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { scripts: Record<string, string> };
    for (const name of ['start', 'jindu'])
      expect(scripts[name], name).toContain(`node ${NODE_FLAGS.join(' ')} bin/jindu.js`);
  });

  it('lets the young generation grow to two halves of YOUNG_SEMI_SPACE_MB, past V8’s default', () => {
    // Keeps a few hundred thousand small objects alive at a time, as a large answer does, and
    // reports the largest the young generation grew to.
    const script = `
      const v8 = require('node:v8');
      let kept = [];
      let largest = 0;
      for (let i = 0; i < 3e6; i++) {
        kept.push({ i });
        if (kept.length > 400000) kept = [];
        if (i % 10000 === 0) {
          const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
          largest = Math.max(largest, young.space_size);
        }
      }
      process.stdout.write(String(largest / 2 ** 20));`;
    const grown = (flags: readonly string[]) =>
      Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' }));
    expect(grown(NODE_FLAGS)).toBe(2 * YOUNG_SEMI_SPACE_MB);
    expect(grown([])).toBeLessThan(2 * YOUNG_SEMI_SPACE_MB);
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
