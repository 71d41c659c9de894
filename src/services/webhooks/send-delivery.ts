import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { Webhook as Signer } from 'standardwebhooks';
import type { WebhookOptions } from '../../config.js';
import { MAX_ATTEMPTS, retryDelayMs } from '../../domain/webhook-rules.js';
import type { Em } from '../../db/em.js';
import { durableCommits } from '../../db/group-commit.js';
import { findWebhooks, updateWebhookRow } from '../../db/queries/webhook.queries.js';
import {
  cancelDelivery,
  recordAttempt,
  type DeliveryRow,
} from '../../db/queries/webhook-delivery.queries.js';
import { checkWebhookUrl } from './url-policy.js';
import { postWebhook } from './post-webhook.js';

/** How long one POST may take. */
export const SEND_TIMEOUT_MS = 10_000;

export type AttemptResult = 'success' | 'failure' | 'gone' | 'refused';

/**
 * One attempt at a claimed delivery: signed (Standard Webhooks) and sent, its attempt logged;
 * 2xx delivers, 410 disables the endpoint, anything else retries with exponential backoff and
 * jitter until MAX_ATTEMPTS. Returns the attempt's result, or null when the endpoint is gone or
 * disabled and the delivery was cancelled instead.
 */
export async function sendDelivery(
  em: Em,
  d: DeliveryRow,
  options: WebhookOptions,
  log: Logger,
): Promise<AttemptResult | null> {
  // With group commit (SQLite), nothing leaves before the write it tells of is on disk.
  const durable = durableCommits(em);
  if (durable) await durable;
  const [hook] = await findWebhooks(em, [d.webhookId]);
  const at = new Date();
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  let result: AttemptResult;
  if (!hook || hook.disabledAt) {
    await cancelDelivery(em, d.id);
    log.info(
      { webhookId: d.webhookId, delivery: d.id },
      'webhook delivery cancelled: endpoint deleted or disabled',
    );
    return null;
  }
  try {
    const url = await checkWebhookUrl(hook.url, options.allowPrivate);
    const signature = new Signer(hook.secret).sign(d.messageId, at, d.payload);
    status = await postWebhook(url, {
      allowPrivate: options.allowPrivate,
      timeoutMs: SEND_TIMEOUT_MS,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Jindu-Webhooks/1',
        'webhook-id': d.messageId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: d.payload,
    });
    result = status >= 200 && status < 300 ? 'success' : status === 410 ? 'gone' : 'failure';
  } catch (err) {
    error = err instanceof Error ? err.message.slice(0, 500) : String(err);
    result = (err as { code?: string }).code === 'INVALID_INPUT' ? 'refused' : 'failure';
  }
  const durationMs = Math.round(performance.now() - started);
  const attempts = d.attempts + 1;
  const retry = result === 'failure' && attempts < MAX_ATTEMPTS;
  const delay = retryDelayMs(attempts, options.retryBaseMs, randomInt(1_000_000) / 1e6);
  await recordAttempt(
    em,
    { deliveryId: d.id, at, status, durationMs, error },
    {
      state: result === 'success' ? 'delivered' : retry ? 'pending' : 'failed',
      attempts,
      nextAttemptAt: retry ? new Date(Date.now() + delay) : null,
    },
  );
  if (result === 'gone') await updateWebhookRow(em, hook.id, { disabledAt: new Date() });
  log.info({ webhookId: hook.id, delivery: d.id, status, result, durationMs }, 'webhook attempt');
  return result;
}
