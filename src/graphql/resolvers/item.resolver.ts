import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertBulkSize } from '../../domain/errors.js';
import type { ItemRecord } from '../../db/records.js';
import { createItems } from '../../services/create-items.js';
import { deleteItem } from '../../services/delete-item.js';
import { restoreItem } from '../../services/restore.js';
import { setItemStatuses } from '../../services/set-item-statuses.js';
import { adminScope, idempotencyOf, writeScope } from '../access.js';
import type { Context } from '../context.type.js';
import { withUserErrors } from '../errors.js';
import { toGlobalId } from '../global-id.js';
import {
  CreateItemsInput,
  DeleteItemInput,
  RestoreItemInput,
  SetItemStatusInput,
  SetItemStatusesInput,
} from '../inputs/item.input.js';
import { ChangeConnectionType } from '../types/change.type.js';
import { ItemType } from '../types/item.type.js';
import { DeletePayload, ItemPayload, ItemsPayload } from '../types/payloads.type.js';
import { WorkstreamType } from '../types/workstream.type.js';
import { historyPage } from './history.js';
import { idOf } from './ids.js';
import { forgetInitiative, workstreamView } from './views.js';

function forgetItems(ctx: Context, items: readonly ItemRecord[]): void {
  for (const id of new Set(items.map((i) => i.initiativeId))) forgetInitiative(ctx, id);
  for (const item of items) ctx.loaders.item.clear(item.id);
}

@Resolver(() => ItemType)
export class ItemResolver {
  @FieldResolver(() => WorkstreamType)
  async workstream(@Root() root: ItemType, @Ctx() ctx: Context): Promise<WorkstreamType> {
    const view = await workstreamView(ctx, root.record.workstreamId);
    // Only a replayed answer (idempotencyKey) can hold an item whose workstream is gone since.
    if (!view)
      throw new GraphQLError('事项所在的工作流已不存在', { extensions: { code: 'NOT_FOUND' } });
    return view;
  }

  @FieldResolver(() => ChangeConnectionType, {
    description: 'Every change of this item, newest first.',
  })
  history(
    @Root() root: ItemType,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<ChangeConnectionType> {
    return historyPage(ctx, { itemId: root.record.id }, first, after);
  }

  @Mutation(() => ItemsPayload, {
    description: 'Adds up to 100 items to a workstream without children.',
  })
  async createItems(
    @Arg('input', () => CreateItemsInput) input: CreateItemsInput,
    @Ctx() ctx: Context,
  ): Promise<ItemsPayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      assertBulkSize(input.items.length, 'items', '事项');
      const created = await createItems({
        em: ctx.em,
        workstreamId: idOf(input.workstreamId, 'Workstream', ['workstreamId']),
        items: input.items,
        actor: ctx.actor,
        scope,
        idempotency: idempotencyOf(ctx, input.idempotencyKey),
      });
      forgetItems(ctx, created);
      return created.map((i) => new ItemType(i));
    });
    return { items: value, userErrors };
  }

  @Mutation(() => ItemPayload, { description: 'Changes one item’s status and percent.' })
  async setItemStatus(
    @Arg('input', () => SetItemStatusInput) input: SetItemStatusInput,
    @Ctx() ctx: Context,
  ): Promise<ItemPayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const { idempotencyKey, ...update } = input;
      const [updated] = await setItemStatuses({
        em: ctx.em,
        updates: [{ ...update, itemId: idOf(input.itemId, 'Item', ['itemId']) }],
        actor: ctx.actor,
        fieldOf: (_i, name) => [name],
        scope,
        idempotency: idempotencyOf(ctx, idempotencyKey),
      });
      forgetItems(ctx, [updated!]);
      return new ItemType(updated!);
    });
    return { item: value, userErrors };
  }

  @Mutation(() => ItemsPayload, { description: 'Changes up to 100 items at once: all or nothing.' })
  async setItemStatuses(
    @Arg('input', () => SetItemStatusesInput) input: SetItemStatusesInput,
    @Ctx() ctx: Context,
  ): Promise<ItemsPayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      assertBulkSize(input.updates.length, 'updates', '更新');
      const updated = await setItemStatuses({
        em: ctx.em,
        updates: input.updates.map((u, i) => ({
          ...u,
          itemId: idOf(u.itemId, 'Item', ['updates', String(i), 'itemId']),
        })),
        actor: ctx.actor,
        scope,
        idempotency: idempotencyOf(ctx, input.idempotencyKey),
      });
      forgetItems(ctx, updated);
      return updated.map((i) => new ItemType(i));
    });
    return { items: value, userErrors };
  }

  @Mutation(() => DeletePayload, {
    description: 'Deletes an item (soft: it leaves every figure; an admin can restore it).',
  })
  async deleteItem(
    @Arg('input', () => DeleteItemInput) input: DeleteItemInput,
    @Ctx() ctx: Context,
  ): Promise<DeletePayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const id = await deleteItem({
        em: ctx.em,
        itemId: idOf(input.id, 'Item', ['id']),
        expectedVersion: input.expectedVersion,
        actor: ctx.actor,
        scope,
      });
      ctx.loaders.tree.clearAll();
      ctx.loaders.reportDetails.clearAll();
      ctx.loaders.item.clear(id);
      return toGlobalId('Item', id);
    });
    return { deletedId: value, userErrors };
  }

  @Mutation(() => ItemPayload, {
    description: 'Brings a deleted item back into every figure (admin).',
  })
  async restoreItem(
    @Arg('input', () => RestoreItemInput) input: RestoreItemInput,
    @Ctx() ctx: Context,
  ): Promise<ItemPayload> {
    const scope = adminScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const restored = await restoreItem({
        em: ctx.em,
        id: idOf(input.id, 'Item', ['id']),
        actor: ctx.actor,
        scope,
      });
      forgetItems(ctx, [restored]);
      return new ItemType(restored);
    });
    return { item: value, userErrors };
  }
}
