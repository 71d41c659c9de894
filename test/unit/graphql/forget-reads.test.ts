import DataLoader from 'dataloader';
import { describe, expect, it, vi } from 'vitest';
import type { Context } from '../../../src/graphql/context.type.js';
import type { Em } from '../../../src/db/em.js';
import { createLoaders, keptBeside, type Loaders } from '../../../src/graphql/loaders.js';
import { forgetRequestReads } from '../../../src/graphql/resolvers/views.js';

/** A request's real loaders over a manager that fails whatever is asked of it. */
const loadersReadingNothing = () =>
  createLoaders(
    new Proxy({} as Em, {
      get: () => {
        throw new Error('read the database');
      },
    }),
  );

describe('forgetRequestReads after a write', () => {
  it('does not make the loaders of a request that has read nothing', () => {
    const made = vi.fn(() => {
      throw new Error('loaders made just to be cleared');
    });
    const ctx = {
      get loaders(): Loaders {
        return made();
      },
      loadersIfMade: () => undefined,
    } as unknown as Context;
    expect(() => forgetRequestReads(ctx)).not.toThrow();
    expect(made).not.toHaveBeenCalled();
  });

  it('forgets every loader and everything kept beside them', async () => {
    const loaders = loadersReadingNothing();
    const loaderNames = Object.entries(loaders)
      .filter(([, value]) => value instanceof DataLoader)
      .map(([name]) => name);
    expect(loaderNames).toEqual(
      expect.arrayContaining(['initiative', 'tree', 'workstream', 'item', 'itemHistory']),
    );
    const clears = loaderNames.map((name) =>
      vi.spyOn(loaders[name as keyof Loaders] as DataLoader<unknown, unknown>, 'clearAll'),
    );
    loaders.item.prime(1, null);
    await expect(loaders.item.load(1)).resolves.toBeNull(); // kept: no statement
    const key = Symbol('a module’s reads');
    keptBeside(loaders, key, () => 'before the write');

    forgetRequestReads({ loaders, loadersIfMade: () => loaders } as unknown as Context);

    for (const clear of clears) expect(clear).toHaveBeenCalled();
    await expect(loaders.item.load(1)).rejects.toThrow('read the database');
    expect(keptBeside(loaders, key, () => 'after it')).toBe('after it');
  });

  it('forgets the loaders of a context that always has them (subscriptions, tests)', () => {
    const loaders = loadersReadingNothing();
    const key = Symbol('a module’s reads');
    keptBeside(loaders, key, () => 'before');
    forgetRequestReads({ loaders } as unknown as Context);
    expect(loaders.beside.has(key)).toBe(false);
  });
});
