import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { ReportDetail } from '../../domain/report-detail.js';
import type { InitiativeTree, TreeNode } from '../../services/load-initiative-tree.js';
import { ReportDetailEnum } from '../enums.js';
import { toGlobalId } from '../../domain/global-id.js';
import { NodeInterface } from './node.interface.js';
import { ProgressType, timedFigureId } from './progress.type.js';

/**
 * Each node's global id, made once per node: as-of trees of one shape share their nodes, so a
 * dashboard asked at another time does not encode its thousand ids again.
 */
const globalIds = new WeakMap<TreeNode, string>();

/** Views by tree, then by node id: as-of trees of one shape share their nodes, not their views. */
const views = new WeakMap<InitiativeTree, Map<number, WorkstreamType>>();

/**
 * A workstream as served: a view over one node of a loaded tree. Parent, children and progress
 * come from the tree already in memory, so they cost no query and no resolver machinery. Trees
 * are shared between requests while nothing changes them, and so are their views (`of`), with
 * what they compute kept on first use: a repeated dashboard allocates little beyond its answer.
 */
@ObjectType('Workstream', { implements: NodeInterface, simpleResolvers: true })
export class WorkstreamType implements NodeInterface {
  readonly __typename = 'Workstream';

  private globalId: string | undefined = undefined;
  private progressView: ProgressType | undefined = undefined;
  private childViews: WorkstreamType[] | undefined = undefined;

  private constructor(
    readonly node: TreeNode,
    readonly tree: InitiativeTree,
  ) {
    this.name = node.name;
  }

  /** The view of a node of `tree` (one per node). */
  static of(node: TreeNode, tree: InitiativeTree): WorkstreamType {
    let byId = views.get(tree);
    if (!byId) views.set(tree, (byId = new Map()));
    let view = byId.get(node.id);
    if (!view) byId.set(node.id, (view = new WorkstreamType(node, tree)));
    return view;
  }

  @Field(() => ID)
  get id(): string {
    if (this.globalId === undefined) {
      let id = globalIds.get(this.node);
      if (id === undefined) globalIds.set(this.node, (id = toGlobalId('Workstream', this.node.id)));
      this.globalId = id;
    }
    return this.globalId;
  }

  /**
   * Held on the view, not read through `node`: a dashboard reads it on every node of every
   * request, and the view is already in the processor's cache where the node may not be.
   */
  @Field(() => String)
  readonly name: string;

  @Field(() => String, { nullable: true, description: 'Free text, e.g. 测试验证投产中.' })
  get phase(): string | null {
    return this.node.phase;
  }

  @Field(() => Float, {
    description: 'Weight in item-equivalents; counts for manual-percent work.',
  })
  get weight(): number {
    return this.node.weightCenti / 100;
  }

  @Field(() => Float, { nullable: true, description: 'Percent of work that is not itemized.' })
  get manualPercent(): number | null {
    return this.node.manualPercentBp === null ? null : this.node.manualPercentBp / 100;
  }

  @Field(() => Int, { description: 'Place among its siblings, 0 first.' })
  get position(): number {
    return this.node.position;
  }

  @Field(() => Int, { description: '0 at the top level.' })
  get depth(): number {
    return this.node.depth;
  }

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  get targetDate(): string | null {
    return this.node.targetDate;
  }

  @Field(() => ReportDetailEnum)
  get reportDetail(): ReportDetail {
    return this.node.reportDetail;
  }

  @Field(() => WorkstreamType, { nullable: true })
  get parent(): WorkstreamType | null {
    const parent =
      this.node.parentId === null ? undefined : this.tree.nodes.get(this.node.parentId);
    return parent ? WorkstreamType.of(parent, this.tree) : null;
  }

  /*
   * `children` and `progress` are read on every node of every dashboard and return what the
   * view keeps; what makes them on first use is a method of its own. V8 allocates a function's
   * closure context on entry to every call when an arrow inside it captures a local or `this`,
   * also when the call only returns the kept value: a 10,000-workstream dashboard allocated
   * about 6 MB a request in these two getters, objects that then lived through young
   * collections beside the answer (sampled with the heap profiler).
   */
  @Field(() => [WorkstreamType], { description: 'In position order.' })
  get children(): WorkstreamType[] {
    return this.childViews ?? this.makeChildren();
  }

  @Field(() => ProgressType)
  get progress(): ProgressType {
    return this.progressView ?? this.makeProgress();
  }

  private makeChildren(): WorkstreamType[] {
    return (this.childViews = this.node.children.map((child) =>
      WorkstreamType.of(child, this.tree),
    ));
  }

  private makeProgress(): ProgressType {
    const { tree, node } = this;
    return (this.progressView = new ProgressType({
      nodeId: tree.time ? timedFigureId(this.id, tree.time) : this.id,
      name: node.name,
      figure: tree.rollup.figures.get(node.id)!,
      policy: tree.policy,
      labels: tree.initiative.statusLabels,
      children: () =>
        node.children.map((c) => ({ name: c.name, figure: tree.rollup.figures.get(c.id)! })),
    }));
  }
}
