import 'reflect-metadata';
import { isInterfaceType, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { InitiativeResolver } from './resolvers/initiative.resolver.js';
import { ItemResolver } from './resolvers/item.resolver.js';
import { NodeResolver } from './resolvers/node.resolver.js';
import { ReportResolver } from './resolvers/report.resolver.js';
import { WorkstreamResolver } from './resolvers/workstream.resolver.js';
import { ItemType } from './types/item.type.js';
import { InitiativeType } from './types/initiative.type.js';
import { WorkstreamType } from './types/workstream.type.js';

let cached: Promise<GraphQLSchema> | null = null;

/** The executable schema, built once per process (it is immutable). */
export function jinduSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [InitiativeResolver, WorkstreamResolver, ItemResolver, NodeResolver, ReportResolver],
    orphanedTypes: [InitiativeType, WorkstreamType, ItemType],
    validate: false,
  }).then((schema) => {
    // type-graphql wraps resolveType in an async function; graphql-jit needs the type name at
    // once. Every Node view carries its __typename, so the name is read straight off it.
    const node = schema.getType('Node');
    if (isInterfaceType(node))
      node.resolveType = (value: { __typename?: string }) => value.__typename;
    return schema;
  });
  return cached;
}
