import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { ItemStatus, Locale } from '../../domain/item-status.js';
import { workstreamReportLine } from '../../services/build-report.js';
import { createWorkstream } from '../../services/create-workstream.js';
import { deleteWorkstream } from '../../services/delete-workstream.js';
import { countListedItems, listItems } from '../../services/list-items.js';
import { moveWorkstream } from '../../services/move-workstream.js';
import { updateWorkstream } from '../../services/update-workstream.js';
import type { Context } from '../context.type.js';
import { ItemStatusEnum, LocaleEnum } from '../enums.js';
import { badUserInput, withUserErrors } from '../errors.js';
import { toGlobalId } from '../global-id.js';
import {
  CreateWorkstreamInput,
  DeleteWorkstreamInput,
  MoveWorkstreamInput,
  UpdateWorkstreamInput,
} from '../inputs/workstream.input.js';
import { InitiativeType } from '../types/initiative.type.js';
import { ItemConnectionType } from '../types/item-connection.type.js';
import { ItemType } from '../types/item.type.js';
import { DeletePayload, WorkstreamPayload } from '../types/payloads.type.js';
import { WorkstreamType } from '../types/workstream.type.js';
import { cursorId, idOf, itemCursor } from './ids.js';
import { forgetInitiative, workstreamView } from './views.js';

export const MAX_PAGE = 100;

function subtreeIds(root: WorkstreamType): number[] {
  const ids: number[] = [];
  const stack = [root.node];
  while (stack.length > 0) {
    const node = stack.pop()!;
    ids.push(node.id);
    stack.push(...node.children);
  }
  return ids;
}

@Resolver(() => WorkstreamType)
export class WorkstreamResolver {
  @FieldResolver(() => InitiativeType)
  initiative(@Root() root: WorkstreamType): InitiativeType {
    return new InitiativeType(root.tree.initiative);
  }

  @FieldResolver(() => String, { description: 'This workstream’s report line (without a number).' })
  async reportLine(
    @Root() root: WorkstreamType,
    @Ctx() ctx: Context,
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
  ): Promise<string> {
    const details = (await ctx.loaders.reportDetails.load(root.tree.initiative.id))!;
    return workstreamReportLine(root.tree, root.node, details, locale);
  }

  @FieldResolver(() => ItemConnectionType, {
    description: 'Items in creation order, a page at a time (first 1–100).',
  })
  async items(
    @Root() root: WorkstreamType,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('status', () => [ItemStatusEnum], { nullable: true }) status: ItemStatus[] | null,
    @Arg('includeDescendants', () => Boolean, {
      defaultValue: false,
      description: 'Items of the whole subtree.',
    })
    includeDescendants: boolean,
  ): Promise<ItemConnectionType> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw badUserInput(`first 必须在 1 到 ${MAX_PAGE} 之间，收到 ${first}`, 'first');
    }
    const afterId = after === null || after === undefined ? null : cursorId(after);
    if (after && afterId === null) throw badUserInput('after 不是有效的游标', 'after');
    const workstreamIds = includeDescendants ? subtreeIds(root) : [root.node.id];
    const page = await listItems({ em: ctx.em, workstreamIds, first, afterId, statuses: status });
    return new ItemConnectionType(
      page.items.map((i) => new ItemType(i)),
      page.hasNextPage,
      (item) => itemCursor(item.record.id),
      () => countListedItems({ em: ctx.em, workstreamIds, statuses: status }),
    );
  }

  @Mutation(() => WorkstreamPayload)
  async createWorkstream(
    @Arg('input', () => CreateWorkstreamInput) input: CreateWorkstreamInput,
    @Ctx() ctx: Context,
  ): Promise<WorkstreamPayload> {
    const { value, userErrors } = await withUserErrors(async () => {
      const created = await createWorkstream({
        ...input,
        em: ctx.em,
        initiativeId: idOf(input.initiativeId, 'Initiative', ['initiativeId']),
        parentId: input.parentId ? idOf(input.parentId, 'Workstream', ['parentId']) : null,
      });
      forgetInitiative(ctx, created.initiativeId);
      return workstreamView(ctx, created.id);
    });
    return { workstream: value, userErrors };
  }

  @Mutation(() => WorkstreamPayload)
  async updateWorkstream(
    @Arg('input', () => UpdateWorkstreamInput) input: UpdateWorkstreamInput,
    @Ctx() ctx: Context,
  ): Promise<WorkstreamPayload> {
    const { value, userErrors } = await withUserErrors(async () => {
      const updated = await updateWorkstream({
        ...input,
        em: ctx.em,
        id: idOf(input.id, 'Workstream', ['id']),
      });
      forgetInitiative(ctx, updated.initiativeId);
      return workstreamView(ctx, updated.id);
    });
    return { workstream: value, userErrors };
  }

  @Mutation(() => WorkstreamPayload, {
    description: 'Moves a workstream (with its subtree) under another parent or to the top level.',
  })
  async moveWorkstream(
    @Arg('input', () => MoveWorkstreamInput) input: MoveWorkstreamInput,
    @Ctx() ctx: Context,
  ): Promise<WorkstreamPayload> {
    const { value, userErrors } = await withUserErrors(async () => {
      const moved = await moveWorkstream({
        em: ctx.em,
        id: idOf(input.id, 'Workstream', ['id']),
        parentId: input.parentId ? idOf(input.parentId, 'Workstream', ['parentId']) : null,
        position: input.position,
      });
      forgetInitiative(ctx, moved.initiativeId);
      return workstreamView(ctx, moved.id);
    });
    return { workstream: value, userErrors };
  }

  @Mutation(() => DeletePayload, {
    description: 'Deletes a workstream and its subtree (soft: nothing is erased).',
  })
  async deleteWorkstream(
    @Arg('input', () => DeleteWorkstreamInput) input: DeleteWorkstreamInput,
    @Ctx() ctx: Context,
  ): Promise<DeletePayload> {
    const { value, userErrors } = await withUserErrors(async () => {
      const id = await deleteWorkstream({ em: ctx.em, id: idOf(input.id, 'Workstream', ['id']) });
      ctx.loaders.tree.clearAll();
      ctx.loaders.workstream.clearAll();
      return toGlobalId('Workstream', id);
    });
    return { deletedId: value, userErrors };
  }
}
