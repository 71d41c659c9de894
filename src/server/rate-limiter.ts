/** Clients whose buckets are kept; beyond, the one seen longest ago is forgotten. */
const MAX_CLIENTS = 100_000;

/**
 * Points per minute per client, as a token bucket: it refills continuously, so a client that
 * spends its minute waits only as long as the points it asks for take to come back.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { points: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  /** Takes `cost` points; returns 0 when allowed, or the seconds to wait before retrying. */
  take(client: string, cost: number, now = Date.now()): number {
    if (this.perMinute <= 0) return 0;
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { points: this.perMinute, at: now };
    bucket.points = Math.min(this.perMinute, bucket.points + (now - bucket.at) * rate);
    bucket.at = now;
    // Most recently seen last: memory stays bounded under a flood of clients by forgetting the
    // client seen longest ago. Forgetting them all at once let a flood of new keys give every
    // client, the flood's own among them, a full bucket.
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size > MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value!);
    if (cost <= bucket.points) {
      bucket.points -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((Math.min(cost, this.perMinute) - bucket.points) / rate / 1000));
  }
}
