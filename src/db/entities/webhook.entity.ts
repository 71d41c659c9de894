import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** An endpoint that receives events (Standard Webhooks). The secret is stored to sign with. */
export const WebhookSchema = defineEntity({
  name: 'Webhook',
  tableName: 'webhook',
  properties: {
    id: p.integer().primary().autoincrement(),
    url: p.string().length(2000),
    /** JSON array of event types. */
    events: p.text(),
    /** null: every initiative. */
    initiativeId: p.integer().nullable(),
    secret: p.string().length(200),
    createdBy: p.string().length(200),
    createdAt: p.datetime(),
    /** Set when the receiver answered 410 Gone (or an admin disabled it). */
    disabledAt: p.datetime().nullable(),
    /**
     * Set when an admin enabled it again after it was disabled: it receives what commits from
     * then on, never what was written while it was off. null: from its creation.
     */
    enabledAt: p.datetime().nullable(),
  },
});

/** One message to one endpoint: retried until delivered or out of attempts. */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  properties: {
    id: p.integer().primary().autoincrement(),
    webhookId: p.integer(),
    /** The `webhook-id` header: the same on every attempt, so receivers can deduplicate. */
    messageId: p.string().length(64),
    eventType: p.string().length(60),
    payload: p.text(),
    /** pending, delivered, failed. */
    state: p.string().length(16),
    attempts: p.integer(),
    nextAttemptAt: p.datetime().nullable(),
    lastStatus: p.integer().nullable(),
    createdAt: p.datetime(),
  },
  indexes: [
    // An endpoint's deliveries newest first (the API's list), and by endpoint (a delete).
    { name: 'webhook_delivery_webhook_id_id_index', properties: ['webhookId', 'id'] },
    { properties: ['state', 'nextAttemptAt'] },
  ],
});

/** Every attempt, kept: status (null when no answer), duration, error. */
export const WebhookAttemptSchema = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempt',
  properties: {
    id: p.integer().primary().autoincrement(),
    deliveryId: p.integer().index(),
    at: p.datetime(),
    status: p.integer().nullable(),
    durationMs: p.integer(),
    error: p.text().nullable(),
  },
});

export type Webhook = InferEntity<typeof WebhookSchema>;
export type WebhookDelivery = InferEntity<typeof WebhookDeliverySchema>;
export type WebhookAttempt = InferEntity<typeof WebhookAttemptSchema>;
