import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertBulkSize } from '../../domain/errors.js';
import { createItems } from '../../services/create-items.js';
import { deleteItem } from '../../services/delete-item.js';
import { restoreItem } from '../../services/restore.js';
import { setItemStatuses } from '../../services/set-item-statuses.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import { adminScope, writeScope } from '../access.js';
import { writeContextOf } from '../write-context.js';
import type { Context } from '../context.type.js';
import { withUserErrors } from '../errors.js';
import { toGlobalId } from '../../domain/global-id.js';
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
import { workstreamView } from './views.js';

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
    const itemId = root.record.id;
    const read = (beforeId: number | null, limit: number) =>
      ctx.loaders.itemHistory.load({ itemId, beforeId, limit });
    return historyPage(ctx, read, first, after);
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
      const created = await runWrite(
        writeContextOf(ctx, scope, input.idempotencyKey),
        createItems,
        {
          workstreamId: idOf(input.workstreamId, 'Workstream', ['workstreamId']),
          items: input.items,
          effectiveAt: input.effectiveAt,
        },
      );
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
      const [updated] = await runWrite(
        writeContextOf(ctx, scope, idempotencyKey),
        setItemStatuses,
        {
          updates: [{ ...update, itemId: idOf(input.itemId, 'Item', ['itemId']) }],
          single: true,
        },
      );
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
      const updated = await runWrite(
        writeContextOf(ctx, scope, input.idempotencyKey),
        setItemStatuses,
        {
          updates: input.updates.map((u, i) => ({
            ...u,
            itemId: idOf(u.itemId, 'Item', ['updates', String(i), 'itemId']),
          })),
          effectiveAt: input.effectiveAt,
        },
      );
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
      const id = await runWrite(writeContextOf(ctx, scope), deleteItem, {
        itemId: idOf(input.id, 'Item', ['id']),
        expectedVersion: input.expectedVersion,
        effectiveAt: input.effectiveAt,
      });
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
      const restored = await runWrite(writeContextOf(ctx, scope), restoreItem, {
        id: idOf(input.id, 'Item', ['id']),
      });
      return new ItemType(restored);
    });
    return { item: value, userErrors };
  }
}
