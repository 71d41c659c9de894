import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { DomainError } from '../../domain/errors.js';
import { findInitiativesByIds } from '../../db/queries/initiative.queries.js';
import { type WebhookRow } from '../../db/queries/webhook.queries.js';
import { findAttempts } from '../../db/queries/webhook-delivery.queries.js';
import * as hooks from '../../services/webhooks/manage-webhooks.js';
import type { Context } from '../context.type.js';
import { badUserInput, forbidden, optionalArg, withUserErrors } from '../errors.js';
import { DeletePayload } from '../types/payloads.type.js';
import {
  CreateWebhookInput,
  CreateWebhookPayload,
  deliveryId,
  parseId,
  RedeliverWebhookInput,
  UpdateWebhookInput,
  WebhookDeliveryConnection,
  WebhookDeliveryPayload,
  WebhookDeliveryType,
  WebhookIdInput,
  WebhookPayload,
  WebhookType,
} from './webhook.types.js';

/** Only admins reach webhooks; the service narrows to the initiatives they administer. */
function admin(ctx: Context): hooks.WebhookAdmin {
  const p = ctx.principal;
  if (p.kind !== 'token' || p.role !== 'admin') throw forbidden('只有 admin 可以管理 Webhook');
  return { em: ctx.em, principal: p, allowPrivate: ctx.webhookAllowPrivate ?? false };
}

function idOf(id: string, type: 'Webhook' | 'WebhookDelivery', field: string): number {
  const n = parseId(id, type);
  if (n === null) throw new DomainError('NOT_FOUND', `${type} 不存在：${id}`, [field]);
  return n;
}

async function view(ctx: Context, row: WebhookRow): Promise<WebhookType> {
  const [initiative] =
    row.initiativeId === null ? [] : await findInitiativesByIds(ctx.em, [row.initiativeId]);
  return new WebhookType(row, initiative?.key ?? null);
}

async function deliveries(ctx: Context, rows: Awaited<ReturnType<typeof hooks.listDeliveries>>) {
  const log = await findAttempts(
    ctx.em,
    rows.map((r) => r.id),
  );
  return rows.map(
    (r) =>
      new WebhookDeliveryType(
        r,
        log.filter((a) => a.deliveryId === r.id),
      ),
  );
}

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookType], { description: 'The endpoints this admin manages.' })
  async webhooks(@Ctx() ctx: Context): Promise<WebhookType[]> {
    return Promise.all((await hooks.listWebhooks(admin(ctx))).map((h) => view(ctx, h)));
  }

  @Query(() => WebhookDeliveryConnection, {
    description: 'Deliveries and their attempts, newest first (first 1–100).',
  })
  async webhookDeliveries(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('webhookId', () => ID, { nullable: true }) webhookId?: string | null,
  ): Promise<WebhookDeliveryConnection> {
    if (!(first >= 1 && first <= 100)) throw badUserInput('first 应在 1–100 之间', 'first');
    const afterId = optionalArg(after, (a) => parseId(a, 'WebhookDelivery'), 'after');
    const hookId = optionalArg(webhookId, (w) => parseId(w, 'Webhook'), 'webhookId');
    const rows = await hooks.listDeliveries(admin(ctx), { first, afterId, webhookId: hookId });
    const page = rows.slice(0, first);
    const pageInfo = {
      endCursor: page.length ? deliveryId(page.at(-1)!.id) : null,
      hasNextPage: rows.length > first,
    };
    return { nodes: await deliveries(ctx, page), pageInfo, ...pageInfo };
  }

  @Mutation(() => CreateWebhookPayload, {
    description: 'A new endpoint; its signing secret is in this answer only.',
  })
  async createWebhook(
    @Arg('input', () => CreateWebhookInput) input: CreateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<CreateWebhookPayload> {
    const a = admin(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const { hook, secret } = await hooks.createWebhook(a, { ...input, actor: ctx.actor });
      return { webhook: await view(ctx, hook), secret };
    });
    return { webhook: value?.webhook ?? null, secret: value?.secret ?? null, userErrors };
  }

  @Mutation(() => WebhookPayload)
  async updateWebhook(
    @Arg('input', () => UpdateWebhookInput) input: UpdateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookPayload> {
    const a = admin(ctx);
    const { value, userErrors } = await withUserErrors(async () =>
      view(ctx, await hooks.updateWebhook(a, { ...input, id: idOf(input.id, 'Webhook', 'id') })),
    );
    return { webhook: value, userErrors };
  }

  @Mutation(() => DeletePayload)
  async deleteWebhook(
    @Arg('input', () => WebhookIdInput) input: WebhookIdInput,
    @Ctx() ctx: Context,
  ): Promise<DeletePayload> {
    const a = admin(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      await hooks.deleteWebhook(a, idOf(input.id, 'Webhook', 'id'));
      return input.id;
    });
    return { deletedId: value, userErrors };
  }

  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Sends a delivery again (same webhook-id), with a fresh attempt budget.',
  })
  async redeliverWebhook(
    @Arg('input', () => RedeliverWebhookInput) input: RedeliverWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryPayload> {
    const a = admin(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const row = await hooks.redeliver(a, idOf(input.deliveryId, 'WebhookDelivery', 'deliveryId'));
      return (await deliveries(ctx, [row]))[0]!;
    });
    return { delivery: value, userErrors };
  }

  @Mutation(() => WebhookDeliveryPayload, { description: 'Queues a webhook.test message.' })
  async sendTestWebhook(
    @Arg('input', () => WebhookIdInput) input: WebhookIdInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryPayload> {
    const a = admin(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const row = await hooks.sendTest(a, idOf(input.id, 'Webhook', 'id'));
      return (await deliveries(ctx, [row]))[0]!;
    });
    return { delivery: value, userErrors };
  }
}
