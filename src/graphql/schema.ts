import { ViewerResolver } from './resolvers/viewer.resolver.js';
import 'reflect-metadata';
import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Locale } from '../domain/item-status.js';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { AFFECTED_NODES_RESOLVERS } from './live/affected-nodes.js';
import { LiveResolver } from './live/live.resolver.js';
import { WebhookResolver } from './webhooks/webhook.resolver.js';
import { InitiativeResolver } from './resolvers/initiative.resolver.js';
import { InitiativeEditResolver } from './resolvers/initiative-edit.resolver.js';
import { ItemEditResolver } from './resolvers/item-edit.resolver.js';
import { ItemResolver } from './resolvers/item.resolver.js';
import { NodeResolver } from './resolvers/node.resolver.js';
import { ReportResolver } from './resolvers/report.resolver.js';
import { ReportModelResolver } from './resolvers/report-model.resolver.js';
import { InitiativeReportReads, WorkstreamReportReads } from './resolvers/report-reads.resolver.js';
import { ItemStageReads, MetricReads } from './resolvers/report-item-reads.resolver.js';
import { WorkstreamResolver } from './resolvers/workstream.resolver.js';
import { HealthReasonResolver, HealthResolver } from './resolvers/health.resolver.js';
import { InitiativeTimeResolver, WorkstreamTimeResolver } from './resolvers/time.resolver.js';
import { ItemType } from './types/item.type.js';
import type { ProgressType } from './types/progress.type.js';
import { InitiativeType } from './types/initiative.type.js';
import { WorkstreamType } from './types/workstream.type.js';

let cached: Promise<GraphQLSchema> | null = null;

const UNUSED_PUBSUB = {
  publish: () => {},
  subscribe: (): AsyncIterable<unknown> => {
    throw new Error('subscriptions use their own streams');
  },
};

/** The getter `name` of a class or of one it extends, if any. */
function getterOf(prototype: object | null, name: string): boolean {
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object)
    if (Object.getOwnPropertyDescriptor(p, name)?.get) return true;
  return false;
}

/**
 * type-graphql wraps every field of a class in a resolver of its own, getters included. A field
 * without arguments that reads a getter of its view class answers the same through graphql's
 * default resolver (a property read), which graphql-jit inlines; the wrapper goes, on every
 * object type the schema was built from (a forecast of every node of a tree asked four wrapped
 * getters per node).
 */
function dropGetterWrappers(schema: GraphQLSchema): void {
  for (const { name: typeName, target } of getMetadataStorage().objectTypes) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const [name, field] of Object.entries(type.getFields())) {
      if (field.args.length === 0 && getterOf(target.prototype as object, name))
        field.resolve = undefined;
    }
  }
}

/** The executable schema, built once per process (it is immutable). */
export function jinduSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [
      InitiativeResolver,
      WorkstreamResolver,
      ItemResolver,
      NodeResolver,
      ReportResolver,
      ItemEditResolver,
      InitiativeEditResolver,
      InitiativeTimeResolver,
      WorkstreamTimeResolver,
      HealthResolver,
      HealthReasonResolver,
      ReportModelResolver,
      InitiativeReportReads,
      WorkstreamReportReads,
      ItemStageReads,
      MetricReads,
      LiveResolver,
      WebhookResolver,
      ViewerResolver,
      ...AFFECTED_NODES_RESOLVERS,
    ],
    orphanedTypes: [InitiativeType, WorkstreamType, ItemType],
    validate: false,
    // Subscriptions bring their own event streams (graphql/live); type-graphql still asks for a
    // pubsub, which nothing uses.
    pubSub: UNUSED_PUBSUB,
  }).then((schema) => {
    // type-graphql wraps resolveType in an async function; graphql-jit needs the type name at
    // once. Every Node view carries its __typename, so the name is read straight off it.
    const node = schema.getType('Node');
    if (isInterfaceType(node))
      node.resolveType = (value: { __typename?: string }) => value.__typename;
    // type-graphql runs every argument through an async validator, so a field with arguments
    // answers with a promise. Progress is resolved once per node of a tree: its two fields
    // whose only argument is an enum call the view's method directly and synchronously.
    dropGetterWrappers(schema);
    const progress = schema.getType('Progress');
    if (isObjectType(progress)) {
      const fields = progress.getFields();
      fields.byStatus!.resolve = (source: ProgressType, args: { locale: Locale }) =>
        source.byStatus(args.locale);
      fields.explain!.resolve = (source: ProgressType, args: { locale: Locale }) =>
        source.explain(args.locale);
    }
    return schema;
  });
  return cached;
}
