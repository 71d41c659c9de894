import { Field, Int, ObjectType } from 'type-graphql';
import { ItemType } from './item.type.js';

@ObjectType('PageInfo', { simpleResolvers: true })
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('ItemEdge', { simpleResolvers: true })
export class ItemEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => ItemType)
  node!: ItemType;
}

/** A page of items; totalCount is counted only when asked for. */
@ObjectType('ItemConnection', { simpleResolvers: true })
export class ItemConnectionType {
  constructor(
    items: ItemType[],
    hasNextPage: boolean,
    cursorOf: (item: ItemType) => string,
    private readonly count: () => Promise<number>,
  ) {
    this.edges = items.map((node) => ({ cursor: cursorOf(node), node }));
    this.nodes = items;
    this.pageInfo = { hasNextPage, endCursor: this.edges.at(-1)?.cursor ?? null };
  }

  @Field(() => [ItemEdgeType])
  edges: ItemEdgeType[];

  @Field(() => [ItemType])
  nodes: ItemType[];

  @Field(() => PageInfoType)
  pageInfo: PageInfoType;

  @Field(() => Int, { description: 'Items matching the filter, across every page.' })
  totalCount(): Promise<number> {
    return this.count();
  }
}
