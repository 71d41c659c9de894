/**
 * Load for fault tests: writers that retry every 503 with the same idempotency key until the
 * write is acknowledged, readers, and `/readyz` probes; every answer is recorded with its time.
 */

export interface Answer {
  readonly instance: number;
  readonly kind: 'write' | 'read' | 'ready';
  readonly started: number;
  readonly ms: number;
  readonly status: number; // 0: no HTTP answer
  readonly code?: string; // the first error code, if any
  readonly ok: boolean;
}

export interface LoadOptions {
  readonly urls: readonly string[];
  readonly token: string;
  /** One item (global id) per writer: a writer is the only one changing its item. */
  readonly items: readonly string[];
  readonly readers: number;
}

export const SET_STATUS = `mutation($input: SetItemStatusInput!) {
  setItemStatus(input: $input) { item { percent version } userErrors { code } } }`;
const READ = '{ initiative(key: "hive") { progress { percent total } } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FaultLoad {
  readonly answers: Answer[] = [];
  /** Per writer: acknowledged writes, and the last acknowledged percent and version. */
  readonly acked: { writes: number; percent: number; version: number }[];
  /** Writes still unacknowledged when the load gave up on them (must stay 0). */
  unacked = 0;
  /** User errors the server answered: a definite refusal, not a fault to retry (must stay empty). */
  readonly refused: unknown[] = [];
  private stopping = false;
  private giveUpAt = Infinity;
  private running: Promise<unknown> = Promise.resolve();
  readonly t0 = performance.now();

  constructor(private readonly opts: LoadOptions) {
    this.acked = opts.items.map(() => ({ writes: 0, percent: -1, version: -1 }));
  }

  now(): number {
    return performance.now() - this.t0;
  }

  start(): void {
    const writers = this.opts.items.map((_, w) => this.writer(w));
    const readers = Array.from({ length: this.opts.readers }, (_, r) => this.reader(r));
    const probes = this.opts.urls.map((_, i) => this.probe(i));
    this.running = Promise.all([...writers, ...readers, ...probes]);
  }

  /** Stops issuing new work; resolves when every writer has its last write acknowledged. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.giveUpAt = this.now() + 20_000;
    await this.running;
  }

  private async call(
    instance: number,
    kind: Answer['kind'],
    init: { body?: string; token?: boolean },
  ): Promise<Answer & { json?: any }> {
    const started = this.now();
    const base = this.opts.urls[instance]!;
    let status = 0;
    let json: any;
    try {
      const res = await fetch(kind === 'ready' ? `${base}/readyz` : `${base}/graphql`, {
        method: init.body ? 'POST' : 'GET',
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        },
        body: init.body,
        signal: AbortSignal.timeout(60_000),
      });
      status = res.status;
      json = await res.json().catch(() => undefined);
    } catch {
      status = 0;
    }
    const code: string | undefined = json?.errors?.[0]?.extensions?.code;
    const ok = status === 200 && !json?.errors;
    const answer = { instance, kind, started, ms: this.now() - started, status, code, ok };
    this.answers.push(answer);
    return { ...answer, json };
  }

  private async writer(w: number): Promise<void> {
    for (let n = 1; !this.stopping; n++) {
      const percent = (n % 99) + 1;
      const input = { itemId: this.opts.items[w], status: 'IN_PROGRESS', percent };
      const body = JSON.stringify({
        query: SET_STATUS,
        variables: { input: { ...input, idempotencyKey: `w${w}-${n}` } },
      });
      // Retry until acknowledged: the same key makes a retry of a committed write a no-op.
      for (let attempt = 0; ; attempt++) {
        const a = await this.call((w + attempt) % this.opts.urls.length, 'write', {
          body,
          token: true,
        });
        const payload = a.json?.data?.setItemStatus;
        if (a.ok && payload?.userErrors?.length === 0) {
          this.acked[w] = { writes: this.acked[w]!.writes + 1, percent, ...payload.item };
          break;
        }
        if (a.ok && payload?.userErrors?.length > 0) {
          this.refused.push(payload.userErrors);
          return;
        }
        if (this.now() > this.giveUpAt) return void this.unacked++;
        await sleep(100);
      }
    }
  }

  private async reader(r: number): Promise<void> {
    const body = JSON.stringify({ query: READ });
    for (let n = 0; !this.stopping; n++) {
      const a = await this.call((r + n) % this.opts.urls.length, 'read', { body });
      if (!a.ok) await sleep(100);
    }
  }

  private async probe(instance: number): Promise<void> {
    while (!this.stopping) {
      await this.call(instance, 'ready', {});
      await sleep(100);
    }
  }
}
