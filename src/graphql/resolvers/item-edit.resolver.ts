import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { moveItem } from '../../services/move-item.js';
import { updateItem } from '../../services/update-item.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import { writeScope } from '../access.js';
import type { Context } from '../context.type.js';
import { withUserErrors } from '../errors.js';
import { MoveItemInput, UpdateItemInput } from '../inputs/item-edit.input.js';
import { ItemType } from '../types/item.type.js';
import { ItemPayload } from '../types/payloads.type.js';
import { writeContextOf } from '../write-context.js';
import { idOf } from './ids.js';

/** Editing an item beyond its status: name, weight, note, and its workstream (editors). */
@Resolver()
export class ItemEditResolver {
  @Mutation(() => ItemPayload, {
    description:
      'Renames an item, changes its weight (which moves the figures) or its note; every change is logged.',
  })
  async updateItem(
    @Arg('input', () => UpdateItemInput) input: UpdateItemInput,
    @Ctx() ctx: Context,
  ): Promise<ItemPayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const [updated] = await runWrite(
        writeContextOf(ctx, scope, input.idempotencyKey),
        updateItem,
        {
          itemId: idOf(input.itemId, 'Item', ['itemId']),
          name: input.name,
          weight: input.weight,
          note: input.note,
          expectedVersion: input.expectedVersion,
          effectiveAt: input.effectiveAt,
        },
      );
      return new ItemType(updated!);
    });
    return { item: value, userErrors };
  }

  @Mutation(() => ItemPayload, {
    description:
      'Moves an item to another workstream without children of the same initiative; its credit moves with it.',
  })
  async moveItem(
    @Arg('input', () => MoveItemInput) input: MoveItemInput,
    @Ctx() ctx: Context,
  ): Promise<ItemPayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const [moved] = await runWrite(writeContextOf(ctx, scope, input.idempotencyKey), moveItem, {
        itemId: idOf(input.itemId, 'Item', ['itemId']),
        workstreamId: idOf(input.workstreamId, 'Workstream', ['workstreamId']),
        expectedVersion: input.expectedVersion,
        effectiveAt: input.effectiveAt,
      });
      return new ItemType(moved!);
    });
    return { item: value, userErrors };
  }
}
