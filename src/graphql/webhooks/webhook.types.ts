import { PageInfoType } from '../types/item-connection.type.js';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { WebhookRow } from '../../db/queries/webhook.queries.js';
import type { AttemptRow, DeliveryRow } from '../../db/queries/webhook-delivery.queries.js';
import { UserErrorType } from '../types/user-error.type.js';
import { encodeAscii, matchDecoded } from '../../domain/ascii-base64url.js';

/** Opaque ids of endpoints and deliveries (not Nodes: only admins ever see them). */
export const hookId = (id: number) => encodeAscii(`Webhook:${id}`);
export const deliveryId = (id: number) => encodeAscii(`WebhookDelivery:${id}`);
/** The number in an id of `type`, spelled only as `hookId` or `deliveryId` spells it, or null. */
export function parseId(id: string, type: 'Webhook' | 'WebhookDelivery'): number | null {
  const match = matchDecoded(String(id), new RegExp(`^${type}:([1-9]\\d{0,14})$`));
  return match ? Number(match[1]) : null;
}

@ObjectType('Webhook', { simpleResolvers: true })
export class WebhookType {
  constructor(
    private readonly row: WebhookRow,
    readonly initiativeKey: string | null,
  ) {}

  @Field(() => ID)
  get id(): string {
    return hookId(this.row.id);
  }

  @Field(() => String)
  get url(): string {
    return this.row.url;
  }

  @Field(() => [String], { description: 'figure.changed, item.changed, initiative.changed' })
  get events(): string[] {
    return this.row.events;
  }

  @Field(() => String, {
    name: 'initiativeKey',
    nullable: true,
    description: 'null: every initiative.',
  })
  get key(): string | null {
    return this.initiativeKey;
  }

  @Field(() => Boolean, {
    description: 'false after a 410 Gone answer or updateWebhook(enabled: false).',
  })
  get enabled(): boolean {
    return this.row.disabledAt === null;
  }
}

@ObjectType('WebhookAttempt', { simpleResolvers: true })
export class WebhookAttemptType {
  @Field(() => Date)
  at!: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status; null when none came.' })
  status!: number | null;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

@ObjectType('WebhookDelivery', { simpleResolvers: true })
export class WebhookDeliveryType {
  constructor(
    private readonly row: DeliveryRow,
    private readonly log: readonly AttemptRow[],
  ) {}

  @Field(() => ID)
  get id(): string {
    return deliveryId(this.row.id);
  }

  @Field(() => ID)
  get webhookId(): string {
    return hookId(this.row.webhookId);
  }

  @Field(() => String, { description: 'The webhook-id header: the same on every attempt.' })
  get messageId(): string {
    return this.row.messageId;
  }

  @Field(() => String)
  get eventType(): string {
    return this.row.eventType;
  }

  @Field(() => String, { description: 'pending, delivered, failed or cancelled.' })
  get state(): string {
    return this.row.state;
  }

  @Field(() => Int, {
    description:
      'Attempts since it was last queued: redeliverWebhook starts a fresh budget at 0, while `attempts` lists every attempt ever made.',
  })
  get attemptCount(): number {
    return this.row.attempts;
  }

  @Field(() => String, { description: 'The JSON body sent.' })
  get payload(): string {
    return this.row.payload;
  }

  @Field(() => [WebhookAttemptType], {
    description: 'Every attempt (status, duration, error), oldest first; the latest 50.',
  })
  get attempts(): WebhookAttemptType[] {
    return this.log.slice(-50).map((a) => ({ ...a }));
  }
}

@ObjectType('WebhookDeliveryConnection', { simpleResolvers: true })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryType])
  nodes!: WebhookDeliveryType[];

  @Field(() => PageInfoType, {
    description: 'As every other connection: endCursor for the next (older) page.',
  })
  pageInfo!: PageInfoType;

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next (older) page.',
    deprecationReason: 'Use pageInfo.endCursor, as on every other connection.',
  })
  endCursor!: string | null;

  @Field(() => Boolean, { deprecationReason: 'Use pageInfo.hasNextPage.' })
  hasNextPage!: boolean;
}

@ObjectType('CreateWebhookPayload', { simpleResolvers: true })
export class CreateWebhookPayload {
  @Field(() => WebhookType, { nullable: true })
  webhook!: WebhookType | null;

  @Field(() => String, {
    nullable: true,
    description: 'The signing secret (whsec_…): shown here only, keep it.',
  })
  secret!: string | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('WebhookPayload', { simpleResolvers: true })
export class WebhookPayload {
  @Field(() => WebhookType, { nullable: true })
  webhook!: WebhookType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@ObjectType('WebhookDeliveryPayload', { simpleResolvers: true })
export class WebhookDeliveryPayload {
  @Field(() => WebhookDeliveryType, { nullable: true })
  delivery!: WebhookDeliveryType | null;

  @Field(() => [UserErrorType])
  userErrors!: UserErrorType[];
}

@InputType('CreateWebhookInput')
export class CreateWebhookInput {
  @Field(() => String, {
    description: 'http(s); loopback and private addresses need JINDU_WEBHOOK_ALLOW_PRIVATE.',
  })
  url!: string;

  @Field(() => [String], { description: 'figure.changed, item.changed, initiative.changed' })
  events!: string[];

  @Field(() => String, { nullable: true, description: 'Absent: every initiative (global admins).' })
  initiativeKey?: string | null;
}

@InputType('UpdateWebhookInput')
export class UpdateWebhookInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [String], { nullable: true })
  events?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}

@InputType('WebhookIdInput')
export class WebhookIdInput {
  @Field(() => ID)
  id!: string;
}

@InputType('RedeliverWebhookInput')
export class RedeliverWebhookInput {
  @Field(() => ID)
  deliveryId!: string;
}
