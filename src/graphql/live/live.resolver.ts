import { GraphQLError } from 'graphql';
import { Arg, Float, ID, Int, Resolver, Root, Subscription } from 'type-graphql';
import { canRead, type Principal } from '../../domain/access.js';
import {
  crossings,
  INITIATIVE_NODE,
  minChangeFilter,
  percentOfValue,
  type FigureChange,
  type LiveEvent,
} from '../../domain/live-events.js';
import type { Em } from '../../db/orm.js';
import { findInitiativeByKey } from '../../db/queries/initiative.queries.js';
import { findWorkstreamsByIds } from '../../db/queries/workstream.queries.js';
import { fromGlobalId, toGlobalId } from '../global-id.js';
import { itemChangeView } from './item-change-view.js';
import { liveStream, MAX_QUEUED, type LiveSource } from './live-stream.js';
import { readInitiativeOutboxSince } from '../../db/queries/outbox.queries.js';
import { durableCommits } from '../../db/group-commit.js';
import { progressIdOf } from '../types/progress.type.js';
import {
  FigureChangedType,
  FigureValueType,
  InitiativeChangedType,
  ItemChangedType,
  ThresholdCrossedType,
} from './live.types.js';
import { decodeLiveEvent } from '../../db/outbox-payload.js';

/** A subscription's context (graphql-ws builds one per subscription; see server/subscriptions.ts). */
export interface SubscriptionContext {
  readonly principal: Principal;
  readonly em: Em;
  readonly live: LiveSource;
  /** Called when the subscription ends, for the per-connection and per-token counts. */
  readonly onEnd: () => void;
}

interface Data<A> {
  readonly args: A;
  readonly context: SubscriptionContext;
}

const MAX_THRESHOLDS = 20;
const MAX_NODE_IDS = 100;

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** The initiative by key, as a reader in scope sees it (others look not-found). */
async function initiativeFor(ctx: SubscriptionContext, key: string): Promise<number> {
  const record = await findInitiativeByKey(ctx.em, key);
  if (!record || !canRead(ctx.principal, record.id))
    throw new GraphQLError(`项目不存在：${key}`, { extensions: { code: 'NOT_FOUND' } });
  return record.id;
}

/**
 * Node filter: Workstream or Initiative global ids → node ids (the initiative is node 0). Every
 * id must be a node of this initiative (live now): another initiative's workstream was taken
 * and its subscription never fired.
 */
async function nodeFilter(
  ctx: SubscriptionContext,
  ids: readonly string[] | null | undefined,
  initiativeId: number,
) {
  if (ids === null || ids === undefined) return null;
  if (ids.length > MAX_NODE_IDS) throw badInput(`nodeIds 最多 ${MAX_NODE_IDS} 个`, 'nodeIds');
  const nodes = ids.map((id) => {
    const parsed = fromGlobalId(id);
    if (parsed?.type === 'Workstream') return parsed.id;
    if (parsed?.type === 'Initiative' && parsed.id === initiativeId) return INITIATIVE_NODE;
    throw badInput(`无效的节点 ID：${id}`, 'nodeIds');
  });
  const workstreams = nodes.filter((n) => n !== INITIATIVE_NODE);
  if (workstreams.length > 0) {
    const own = new Set(
      (await findWorkstreamsByIds(ctx.em, workstreams))
        .filter((w) => w.initiativeId === initiativeId)
        .map((w) => w.id),
    );
    const stranger = ids.find((_, i) => nodes[i] !== INITIATIVE_NODE && !own.has(nodes[i]!));
    if (stranger !== undefined) throw badInput(`不是该项目的节点：${stranger}`, 'nodeIds');
  }
  return new Set(nodes);
}

function base(event: LiveEvent, key: string) {
  return {
    cause: { changeIds: event.changeIds.map(String), actor: event.actor },
    revision: event.revision,
    initiativeKey: key,
  };
}

const liveNode = (id: string) => ({ id, progressId: progressIdOf(id) });

function figureAnswer(event: LiveEvent, key: string, change: FigureChange) {
  return {
    ...base(event, key),
    node: liveNode(
      change.nodeId === INITIATIVE_NODE
        ? toGlobalId('Initiative', event.initiativeId)
        : toGlobalId('Workstream', change.nodeId),
    ),
    before: change.before && new FigureValueType(change.before),
    after: change.after && new FigureValueType(change.after),
  };
}

/**
 * Every event of one initiative the caller may still read (checked on each event). With
 * `afterRevision` (the last revision a client saw, before its socket dropped), the events
 * committed since then come first, from the outbox, then the live ones without a gap or a
 * repeat; when some are no longer there (the outbox keeps a week) or more than a queue's worth
 * are missing, RESUME_UNAVAILABLE says to refetch instead.
 */
async function streamOf<T extends { seq: number }>(
  ctx: SubscriptionContext,
  initiativeId: number,
  toAnswers: (event: LiveEvent) => Omit<T, 'seq'>[],
  afterRevision: number | null | undefined,
) {
  const resume = afterRevision !== null && afterRevision !== undefined;
  if (resume && !(Number.isInteger(afterRevision) && afterRevision >= 0))
    throw badInput(`afterRevision 应是不小于 0 的整数，收到 ${afterRevision}`, 'afterRevision');
  // Listening starts before the outbox is read: nothing committed meanwhile is missed.
  const stream = liveStream<T>(
    ctx.live,
    (e) => e.initiativeId === initiativeId && canRead(ctx.principal, e.initiativeId),
    toAnswers,
    ctx.onEnd,
    resume,
  );
  if (!resume) return stream;
  try {
    const { revision, rows } = await readInitiativeOutboxSince(
      ctx.em,
      initiativeId,
      afterRevision,
      MAX_QUEUED + 1,
    );
    if (afterRevision > revision)
      throw badInput(
        `afterRevision ${afterRevision} 超过项目当前的修订号 ${revision}`,
        'afterRevision',
      );
    const missed = revision - afterRevision;
    const unavailable = (why: string) =>
      new GraphQLError(`${why}；请重新读取后再订阅`, {
        extensions: { code: 'RESUME_UNAVAILABLE', revision },
      });
    if (missed > MAX_QUEUED)
      throw unavailable(
        `修订号 ${afterRevision} 之后已有 ${missed} 次写入，超过可补发的 ${MAX_QUEUED} 次`,
      );
    if (rows.length !== missed || rows.some((r, i) => r.revision !== afterRevision + 1 + i))
      throw unavailable(`修订号 ${afterRevision} 之后的事件已不全（只保留一周）`);
    // Told only once on disk, as every other reader is (group commit on SQLite): a write whose
    // sync failed is never reported done.
    const durable = rows.length > 0 ? durableCommits(ctx.em) : undefined;
    if (durable) await durable;
    const released = stream.release(
      rows.map((r) => decodeLiveEvent(r.payload)),
      revision,
    );
    if (!released)
      throw unavailable(`修订号 ${afterRevision} 之后的事件超过可补发的 ${MAX_QUEUED} 条`);
    return stream;
  } catch (err) {
    await stream.return?.();
    throw err;
  }
}

const AFTER_REVISION =
  'Resume: the last revision this client saw. Events of the writes since then come first (kept a week), then live ones; RESUME_UNAVAILABLE when they can no longer be given (refetch).';

@Resolver()
export class LiveResolver {
  @Subscription(() => FigureChangedType, {
    description:
      'A node’s figure moved (every node of the tree, or the nodeIds given; minChange: in percent points).',
    subscribe: async ({ args, context }: Data<FigureArgs>) => {
      const id = await initiativeFor(context, args.initiativeKey);
      const nodes = await nodeFilter(context, args.nodeIds, id);
      const min = args.minChange ?? null;
      if (min !== null && !(min >= 0 && min <= 100))
        throw badInput(`minChange 必须在 0 到 100 之间（百分点），收到 ${min}`, 'minChange');
      const moved = minChangeFilter(min);
      return streamOf<FigureChangedType>(
        context,
        id,
        (e) =>
          e.figures.flatMap((f) => {
            const change = !nodes || nodes.has(f.nodeId) ? moved(f) : null;
            return change ? [figureAnswer(e, args.initiativeKey, change)] : [];
          }),
        args.afterRevision,
      );
    },
  })
  figureChanged(
    @Root() event: FigureChangedType,
    @Arg('initiativeKey', () => String) _key: string,
    @Arg('nodeIds', () => [ID], { nullable: true }) _nodes?: string[] | null,
    @Arg('minChange', () => Float, { nullable: true }) _min?: number | null,
    @Arg('afterRevision', () => Int, { nullable: true, description: AFTER_REVISION })
    _after?: number | null,
  ): FigureChangedType {
    return event;
  }

  @Subscription(() => ThresholdCrossedType, {
    description:
      'A node’s percent crossed one of the thresholds, either way: once per crossing, in commit order.',
    subscribe: async ({ args, context }: Data<ThresholdArgs>) => {
      const id = await initiativeFor(context, args.initiativeKey);
      const nodes = await nodeFilter(context, args.nodeIds, id);
      const { thresholds } = args;
      if (thresholds.length === 0 || thresholds.length > MAX_THRESHOLDS)
        throw badInput(`thresholds 应有 1–${MAX_THRESHOLDS} 个`, 'thresholds');
      if (thresholds.some((t) => !(t >= 0 && t <= 100)))
        throw badInput('threshold 应在 0–100 之间', 'thresholds');
      return streamOf<ThresholdCrossedType>(
        context,
        id,
        (e) =>
          e.figures
            .filter((f) => !nodes || nodes.has(f.nodeId))
            .flatMap((f) =>
              crossings(percentOfValue(f.before), percentOfValue(f.after), thresholds).map((c) => ({
                ...figureAnswer(e, args.initiativeKey, f),
                ...c,
              })),
            ),
        args.afterRevision,
      );
    },
  })
  thresholdCrossed(
    @Root() event: ThresholdCrossedType,
    @Arg('initiativeKey', () => String) _key: string,
    @Arg('thresholds', () => [Float]) _thresholds: number[],
    @Arg('nodeIds', () => [ID], { nullable: true }) _nodes?: string[] | null,
    @Arg('afterRevision', () => Int, { nullable: true, description: AFTER_REVISION })
    _after?: number | null,
  ): ThresholdCrossedType {
    return event;
  }

  @Subscription(() => ItemChangedType, {
    description: 'An item of the initiative changed (created, status, moved, deleted…).',
    subscribe: async ({ args, context }: Data<ItemArgs>) => {
      const id = await initiativeFor(context, args.initiativeKey);
      return streamOf<ItemChangedType>(
        context,
        id,
        (e) => e.items.map((i) => ({ ...base(e, args.initiativeKey), ...itemChangeView(i) })),
        args.afterRevision,
      );
    },
  })
  itemChanged(
    @Root() event: ItemChangedType,
    @Arg('initiativeKey', () => String) _key: string,
    @Arg('afterRevision', () => Int, { nullable: true, description: AFTER_REVISION })
    _after?: number | null,
  ): ItemChangedType {
    return event;
  }

  // What figureChanged and itemChanged do not carry (a new target date, a renamed workstream,
  // health, milestones…) still moves the revision: this says so, once per write.
  @Subscription(() => InitiativeChangedType, {
    description:
      'Every committed write to the initiative, once, with its change types: what to read again when the figure and item events do not carry the change (a target date, a workstream’s name, health…).',
    subscribe: async ({ args, context }: Data<ItemArgs>) => {
      const id = await initiativeFor(context, args.initiativeKey);
      return streamOf<InitiativeChangedType>(
        context,
        id,
        (e) => [{ ...base(e, args.initiativeKey), types: [...e.types] }],
        args.afterRevision,
      );
    },
  })
  initiativeChanged(
    @Root() event: InitiativeChangedType,
    @Arg('initiativeKey', () => String) _key: string,
    @Arg('afterRevision', () => Int, { nullable: true, description: AFTER_REVISION })
    _after?: number | null,
  ): InitiativeChangedType {
    return event;
  }
}

interface ItemArgs {
  initiativeKey: string;
  afterRevision?: number | null;
}
interface FigureArgs extends ItemArgs {
  nodeIds?: string[] | null;
  minChange?: number | null;
}
interface ThresholdArgs extends ItemArgs {
  thresholds: number[];
  nodeIds?: string[] | null;
}
