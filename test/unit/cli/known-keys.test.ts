import { describe, expect, it } from 'vitest';
import { keysHint } from '../../../src/cli/known-keys.js';

describe('keysHint', () => {
  it('lists the keys sorted, once each', () => {
    expect(keysHint(['pos', 'hive', 'account-2', 'hive'])).toBe('; keys: account-2, hive, pos');
  });

  it('says nothing when there are none to list', () => {
    expect(keysHint([])).toBe('');
  });

  it('lists at most twenty, and says how many there are', () => {
    const keys = Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    const hint = keysHint(keys);
    expect(hint.startsWith('; keys: k00, k01,')).toBe(true);
    expect(hint.endsWith('k19, … (25 in all)')).toBe(true);
  });
});
