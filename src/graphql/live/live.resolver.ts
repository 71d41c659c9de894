import { Arg, Float, ID, Int, Resolver, Root, Subscription } from 'type-graphql';
import {
  crossings,
  INITIATIVE_NODE,
  minChangeFilter,
  percentOfValue,
  type FigureChange,
  type LiveEvent,
} from '../../domain/live-events.js';
import { toGlobalId } from '../../domain/global-id.js';
import { itemChangeView } from './item-change-view.js';
import { progressIdOf } from '../types/progress.type.js';
import {
  FigureChangedType,
  FigureValueType,
  InitiativeChangedType,
  ItemChangedType,
  ThresholdCrossedType,
} from './live.types.js';
import { streamOf } from './resumable-stream.js';
import {
  badInput,
  initiativeFor,
  nodeFilter,
  type SubscriptionContext,
} from './subscription-scope.js';

interface Data<A> {
  readonly args: A;
  readonly context: SubscriptionContext;
}

const MAX_THRESHOLDS = 20;

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
