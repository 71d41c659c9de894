import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { ItemStatus, Locale } from '../../domain/item-status.js';
import { workstreamReportLine } from '../../services/build-report.js';
import { createWorkstream } from '../../services/create-workstream.js';
import { deleteWorkstream } from '../../services/delete-workstream.js';
import { moveWorkstream } from '../../services/move-workstream.js';
import { updateWorkstream } from '../../services/update-workstream.js';
import type { Context } from '../context.type.js';
import { ItemStatusEnum, LocaleEnum } from '../enums.js';
import { withUserErrors } from '../errors.js';
import { adminScope, writeScope } from '../access.js';
import { historyPage } from './history.js';
import { findChanges } from '../../db/queries/change-log.queries.js';
import { itemsPage, SEARCH_DESCRIPTION } from './item-pages.js';
import { restoreWorkstream } from '../../services/restore.js';
import { ChangeConnectionType } from '../types/change.type.js';
import { toGlobalId } from '../../domain/global-id.js';
import { emptyTally } from '../../domain/tally.js';
import {
  CreateWorkstreamInput,
  DeleteWorkstreamInput,
  MoveWorkstreamInput,
  RestoreWorkstreamInput,
  UpdateWorkstreamInput,
} from '../inputs/workstream.input.js';
import { InitiativeType } from '../types/initiative.type.js';
import { ItemConnectionType } from '../types/item-connection.type.js';
import { DeletePayload, WorkstreamPayload } from '../types/payloads.type.js';
import { WorkstreamType } from '../types/workstream.type.js';
import { idOf } from './ids.js';
import { workstreamView } from './views.js';
import { reportDetailsOf } from '../read-time.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import { writeContextOf } from '../write-context.js';

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
    return new InitiativeType(root.tree.initiative, root.tree.time ?? null);
  }

  @FieldResolver(() => String, { description: 'This workstream’s report line (without a number).' })
  async reportLine(
    @Root() root: WorkstreamType,
    @Ctx() ctx: Context,
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
  ): Promise<string> {
    const details = await reportDetailsOf(ctx, root.tree);
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
    @Arg('search', () => String, { nullable: true, description: SEARCH_DESCRIPTION })
    search: string | null,
  ): Promise<ItemConnectionType> {
    const workstreamIds = includeDescendants ? subtreeIds(root) : [root.node.id];
    const tally = includeDescendants
      ? root.tree.rollup.figures.get(root.node.id)!.tally
      : (root.tree.tallies.get(root.node.id) ?? emptyTally());
    return itemsPage(
      ctx,
      workstreamIds,
      { first, after, status, search },
      root.tree.time ?? null,
      async () => tally,
    );
  }

  @Mutation(() => WorkstreamPayload)
  async createWorkstream(
    @Arg('input', () => CreateWorkstreamInput) input: CreateWorkstreamInput,
    @Ctx() ctx: Context,
  ): Promise<WorkstreamPayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const created = await runWrite(writeContextOf(ctx, scope), createWorkstream, {
        ...input,
        initiativeId: idOf(input.initiativeId, 'Initiative', ['initiativeId']),
        parentId: input.parentId ? idOf(input.parentId, 'Workstream', ['parentId']) : null,
      });
      return workstreamView(ctx, created.id);
    });
    return { workstream: value, userErrors };
  }

  @Mutation(() => WorkstreamPayload)
  async updateWorkstream(
    @Arg('input', () => UpdateWorkstreamInput) input: UpdateWorkstreamInput,
    @Ctx() ctx: Context,
  ): Promise<WorkstreamPayload> {
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const updated = await runWrite(writeContextOf(ctx, scope), updateWorkstream, {
        ...input,
        id: idOf(input.id, 'Workstream', ['id']),
      });
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
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const moved = await runWrite(writeContextOf(ctx, scope), moveWorkstream, {
        id: idOf(input.id, 'Workstream', ['id']),
        parentId: input.parentId ? idOf(input.parentId, 'Workstream', ['parentId']) : null,
        position: input.position,
        effectiveAt: input.effectiveAt,
      });
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
    const scope = writeScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const id = await runWrite(writeContextOf(ctx, scope), deleteWorkstream, {
        id: idOf(input.id, 'Workstream', ['id']),
        effectiveAt: input.effectiveAt,
      });
      return toGlobalId('Workstream', id);
    });
    return { deletedId: value, userErrors };
  }

  @FieldResolver(() => ChangeConnectionType, {
    description:
      'Changes of the items below (and deletes/restores of the workstreams), newest first.',
  })
  history(
    @Root() root: WorkstreamType,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<ChangeConnectionType> {
    const subtree = {
      initiativeId: root.tree.initiative.id,
      workstreamIds: subtreeIds(root),
      initiativeWorkstreams: root.tree.nodes.size,
    };
    const read = (beforeId: number | null, limit: number) =>
      findChanges(ctx.em, { ...subtree, beforeId, limit });
    return historyPage(ctx, read, first, after);
  }

  @Mutation(() => WorkstreamPayload, {
    description: 'Brings back a deleted workstream with its subtree (admin).',
  })
  async restoreWorkstream(
    @Arg('input', () => RestoreWorkstreamInput) input: RestoreWorkstreamInput,
    @Ctx() ctx: Context,
  ): Promise<WorkstreamPayload> {
    const scope = adminScope(ctx);
    const { value, userErrors } = await withUserErrors(async () => {
      const restored = await runWrite(writeContextOf(ctx, scope), restoreWorkstream, {
        id: idOf(input.id, 'Workstream', ['id']),
      });
      return workstreamView(ctx, restored.id);
    });
    return { workstream: value, userErrors };
  }
}
