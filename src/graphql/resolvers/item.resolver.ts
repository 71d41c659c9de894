import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { createItems } from '../../services/create-items.js';
import { deleteItem } from '../../services/delete-item.js';
import { setItemStatuses } from '../../services/set-item-statuses.js';
import type { ItemRecord } from '../../db/records.js';
import type { Context } from '../context.type.js';
import { withUserErrors } from '../errors.js';
import { toGlobalId } from '../global-id.js';
import {
  CreateItemsInput,
  DeleteItemInput,
  SetItemStatusInput,
  SetItemStatusesInput,
} from '../inputs/item.input.js';
import { ItemType } from '../types/item.type.js';
import { DeletePayload, ItemPayload, ItemsPayload } from '../types/payloads.type.js';
import { WorkstreamType } from '../types/workstream.type.js';
import { idOf } from './ids.js';
import { forgetInitiative, workstreamView } from './views.js';

function forgetItems(ctx: Context, items: readonly ItemRecord[]): void {
  for (const id of new Set(items.map((i) => i.initiativeId))) forgetInitiative(ctx, id);
}

@Resolver(() => ItemType)
export class ItemResolver {
  @FieldResolver(() => WorkstreamType)
  async workstream(@Root() root: ItemType, @Ctx() ctx: Context): Promise<WorkstreamType | null> {
    return workstreamView(ctx, root.record.workstreamId);
  }

  @Mutation(() => ItemsPayload, {
    description: 'Adds up to 100 items to a workstream without children.',
  })
  async createItems(
    @Arg('input', () => CreateItemsInput) input: CreateItemsInput,
    @Ctx() ctx: Context,
  ): Promise<ItemsPayload> {
    const { value, userErrors } = await withUserErrors(async () => {
      const created = await createItems({
        em: ctx.em,
        workstreamId: idOf(input.workstreamId, 'Workstream', ['workstreamId']),
        items: input.items,
        actor: ctx.actor,
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
    const { value, userErrors } = await withUserErrors(async () => {
      const [updated] = await setItemStatuses({
        em: ctx.em,
        updates: [{ ...input, itemId: idOf(input.itemId, 'Item', ['itemId']) }],
        actor: ctx.actor,
        fieldOf: (_i, name) => [name],
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
    const { value, userErrors } = await withUserErrors(async () => {
      const updated = await setItemStatuses({
        em: ctx.em,
        updates: input.updates.map((u, i) => ({
          ...u,
          itemId: idOf(u.itemId, 'Item', ['updates', String(i), 'itemId']),
        })),
        actor: ctx.actor,
      });
      forgetItems(ctx, updated);
      return updated.map((i) => new ItemType(i));
    });
    return { items: value, userErrors };
  }

  @Mutation(() => DeletePayload, {
    description: 'Deletes an item (soft: it leaves every figure, the log keeps it).',
  })
  async deleteItem(
    @Arg('input', () => DeleteItemInput) input: DeleteItemInput,
    @Ctx() ctx: Context,
  ): Promise<DeletePayload> {
    const { value, userErrors } = await withUserErrors(async () => {
      const id = await deleteItem({
        em: ctx.em,
        itemId: idOf(input.id, 'Item', ['id']),
        expectedVersion: input.expectedVersion,
        actor: ctx.actor,
      });
      ctx.loaders.tree.clearAll();
      ctx.loaders.item.clear(id);
      return toGlobalId('Item', id);
    });
    return { deletedId: value, userErrors };
  }
}
