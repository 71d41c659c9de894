import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../src/server/client-key.js';
import { RateLimiter } from '../../../src/server/rate-limiter.js';

describe('whose limits an anonymous request spends', () => {
  // Any local process may send from any of 127.0.0.0/8: each address was a fresh bucket.
  it('is one key for all of loopback, and an IPv6 /64 for the addresses one host is given', () => {
    const loopback = ['127.0.0.1', '127.0.0.2', '127.200.0.9', '::ffff:127.1.2.3', '::1'];
    expect(new Set(loopback.map(addressKey))).toEqual(new Set(['loopback']));
    expect(addressKey('2001:db8:1:2::5')).toBe(addressKey('2001:db8:1:2:ffff:1:2:3'));
    expect(addressKey('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::5')).not.toBe(addressKey('2001:db8:1:2::5'));
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(addressKey('10.0.0.7')).not.toBe(addressKey('10.0.0.8'));
  });
});

describe('the rate limiter under a flood of clients', () => {
  // Past 100,000 clients every bucket was cleared: a flood of new keys refilled everyone's.
  it('forgets the client seen longest ago, not a client that keeps asking', () => {
    const limiter = new RateLimiter(600);
    const now = 1_000_000;
    expect(limiter.take('spender', 600, now)).toBe(0);
    expect(limiter.take('spender', 600, now)).toBeGreaterThan(0);
    for (let i = 0; i < 100_001; i++) {
      limiter.take(`flood-${i}`, 1, now);
      if (i % 10_000 === 0) expect(limiter.take('spender', 600, now)).toBeGreaterThan(0);
    }
    expect(limiter.take('spender', 600, now)).toBeGreaterThan(0);
  });
});
