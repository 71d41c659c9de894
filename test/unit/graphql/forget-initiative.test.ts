import { describe, expect, it, vi } from 'vitest';
import type { Context } from '../../../src/graphql/context.type.js';
import type { Loaders } from '../../../src/graphql/loaders.js';
import { forgetInitiative } from '../../../src/graphql/resolvers/views.js';

/** Loaders whose `clear`/`clearAll` calls are recorded. */
function recordingLoaders() {
  const loader = () => ({ clear: vi.fn(), clearAll: vi.fn() });
  return {
    initiative: loader(),
    tree: loader(),
    reportDetails: loader(),
    workstream: loader(),
    item: loader(),
  };
}

describe('forgetInitiative after a write', () => {
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
    expect(() => forgetInitiative(ctx, 7)).not.toThrow();
    expect(made).not.toHaveBeenCalled();
  });

  it('clears what a request that has read already keeps', () => {
    const loaders = recordingLoaders();
    const ctx = { loaders, loadersIfMade: () => loaders } as unknown as Context;
    forgetInitiative(ctx, 7);
    expect(loaders.initiative.clear).toHaveBeenCalledWith(7);
    expect(loaders.tree.clear).toHaveBeenCalledWith(7);
    expect(loaders.reportDetails.clear).toHaveBeenCalledWith(7);
    expect(loaders.workstream.clearAll).toHaveBeenCalled();
    expect(loaders.item.clearAll).toHaveBeenCalled();
  });

  it('clears the loaders of a context that always has them (subscriptions, tests)', () => {
    const loaders = recordingLoaders();
    forgetInitiative({ loaders } as unknown as Context, 3);
    expect(loaders.tree.clear).toHaveBeenCalledWith(3);
  });
});
