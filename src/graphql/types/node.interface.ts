import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType('Node', {
  description: 'An object with an opaque global id, fetchable through Query.node.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class NodeInterface {
  @Field(() => ID)
  id!: string;
}
