/** Subscriptions a connection, a token (or an anonymous reader's address) and all anonymous readers may hold on one instance. */
export const SUBSCRIPTION_LIMITS = Object.freeze({
  perConnection: 20,
  perToken: 100,
  /** Anonymous subscriptions of every address together (addresses are cheap to change). */
  anonymous: 1_000,
});

/**
 * The instance's running subscriptions, per client key (clientKeyOf: a token, or an anonymous
 * reader's address, as the HTTP rate limit counts them: one bucket for all anonymous readers let
 * a few open home pages, or one script, push every other anonymous page to polling).
 */
export class SubscriptionCounts {
  private readonly perKey = new Map<string, number>();
  private anonymous = 0;
  private running = 0;

  get active(): number {
    return this.running;
  }

  /** Counts one more for `key`, or says why not (the message of TOO_MANY_SUBSCRIPTIONS). */
  admit(key: string, anonymous: boolean): string | null {
    if ((this.perKey.get(key) ?? 0) >= SUBSCRIPTION_LIMITS.perToken)
      return `每个令牌（无令牌时每个地址）最多 ${SUBSCRIPTION_LIMITS.perToken} 个订阅`;
    if (anonymous && this.anonymous >= SUBSCRIPTION_LIMITS.anonymous)
      return `无令牌的订阅已达本实例上限 ${SUBSCRIPTION_LIMITS.anonymous} 个；请带令牌订阅`;
    this.perKey.set(key, (this.perKey.get(key) ?? 0) + 1);
    if (anonymous) this.anonymous++;
    this.running++;
    return null;
  }

  release(key: string, anonymous: boolean): void {
    // Forgotten at zero: addresses come and go, and each would otherwise stay a key.
    const left = (this.perKey.get(key) ?? 1) - 1;
    if (left > 0) this.perKey.set(key, left);
    else this.perKey.delete(key);
    if (anonymous) this.anonymous--;
    this.running--;
  }
}
