import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Context } from '../graphql/context.type.js';

/** Paths with a label of their own; anything else is `other` (no unbounded label values). */
const ROUTES = new Set([
  '/graphql',
  '/graphiql',
  '/livez',
  '/readyz',
  '/metrics',
  '/api/import',
  '/api/export',
  '/',
]);

/**
 * The Prometheus side of GET /metrics: Node's default process metrics, request and operation
 * durations, live subscriptions, the outbox reader's lag, webhook attempts by result. One
 * registry per server (tests run several in a process). Labels never name items or users.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly operations: Histogram<'type' | 'outcome'>;
  private readonly attempts: Counter<'result'>;

  constructor(live: {
    subscriptions: () => number;
    lagSeconds: () => number;
    pending: () => Promise<number>;
    /** SQLite group commit (src/db/group-commit.ts), when on: commits and WAL syncs so far. */
    groupCommit?: () => { readonly committed: number; readonly syncs: number } | undefined;
  }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'jindu_' });
    this.requests = new Histogram({
      name: 'jindu_http_request_duration_seconds',
      help: 'HTTP requests by method, route and status class',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.operations = new Histogram({
      name: 'jindu_graphql_operation_duration_seconds',
      help: 'GraphQL operations by type (query, mutation) and outcome',
      labelNames: ['type', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.attempts = new Counter({
      name: 'jindu_webhook_attempts_total',
      help: 'Webhook delivery attempts by result (success, failure, gone, refused)',
      labelNames: ['result'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'jindu_subscriptions_active',
      help: 'graphql-ws subscriptions running on this instance',
      registers: [this.registry],
      collect() {
        this.set(live.subscriptions());
      },
    });
    new Gauge({
      name: 'jindu_outbox_lag_seconds',
      help: 'Commit to read by this instance, for the newest outbox event read',
      registers: [this.registry],
      collect() {
        this.set(live.lagSeconds());
      },
    });
    const grouped = (
      name: string,
      help: string,
      pick: (g: { committed: number; syncs: number }) => number,
    ) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          const group = live.groupCommit?.();
          this.reset();
          if (group) this.inc(pick(group));
        },
      });
    grouped(
      'jindu_sqlite_commits_total',
      'SQLite transactions committed since this process began group commit',
      (g) => g.committed,
    );
    grouped(
      'jindu_sqlite_wal_syncs_total',
      'Syncs of the SQLite WAL to disk by group commit (several commits share one)',
      (g) => g.syncs,
    );
    new Gauge({
      name: 'jindu_outbox_unread_events',
      help: 'Outbox events committed but not yet read by this instance',
      registers: [this.registry],
      async collect() {
        this.set(await live.pending().catch(() => 0));
      },
    });
  }

  observeRequest(
    method: string | undefined,
    path: string | undefined,
    status: number,
    ms: number,
  ): void {
    const route = path && ROUTES.has(path) ? path : 'other';
    this.requests.observe(
      { method: method ?? '?', route, status: `${Math.floor(status / 100)}xx` },
      ms / 1000,
    );
  }

  webhookAttempt(result: string): void {
    this.attempts.inc({ result });
  }

  /** Times each operation from resolution to the answer. */
  plugin(): ApolloServerPlugin<Context> {
    const operations = this.operations;
    return {
      async requestDidStart() {
        const started = performance.now();
        let type = 'unknown';
        return {
          async didResolveOperation({ operation }) {
            type = operation?.operation ?? 'unknown';
          },
          async willSendResponse({ response }) {
            const errors = response.body.kind === 'single' && response.body.singleResult.errors;
            operations.observe(
              { type, outcome: errors ? 'error' : 'ok' },
              (performance.now() - started) / 1000,
            );
          },
        };
      },
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Prometheus text unless the client asks for JSON (the default: the bench and scripts read it). */
export function wantsPrometheus(accept: string | undefined, format: string | null): boolean {
  if (format === 'json') return false;
  if (format === 'prometheus' || format === 'text') return true;
  return /text\/plain|openmetrics/i.test(accept ?? '');
}
