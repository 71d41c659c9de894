import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Live events, appended by the write pipeline in the transaction of the write: one row per
 * committed write and initiative. `seq` is the commit order, gapless: it is taken from
 * `outbox_position` ('head') at the end of the write, whose row lock is held until commit, so a
 * later number can never become visible before an earlier one (see services/live/append-outbox.ts).
 * `payload` is the event as JSON (item changes and figure changes, before and after).
 */
export const OutboxSchema = defineEntity({
  name: 'Outbox',
  tableName: 'outbox',
  properties: {
    seq: p.bigint('number').primary().autoincrement(false),
    initiativeId: p.integer(),
    /** The initiative's revision after this write. */
    revision: p.integer(),
    payload: p.text(),
    createdAt: p.datetime(),
  },
  // An initiative's rows after a revision: what a resumed subscription reads. Without it each
  // resume read the whole outbox, a week of every initiative's writes (100,000 rows: 14 ms on
  // SQLite, 28 ms on PostgreSQL).
  indexes: [{ properties: ['initiativeId', 'revision'] }],
});

/** Named positions in the outbox: 'head' (the last seq handed out), 'webhooks' (fanned out). */
export const OutboxPositionSchema = defineEntity({
  name: 'OutboxPosition',
  tableName: 'outbox_position',
  properties: {
    name: p.string().length(40).primary(),
    seq: p.bigint('number'),
  },
});

/**
 * Each initiative's revision: moved by every committed write that touches it. Kept trees are
 * served while it stands still, on any instance (one indexed read per request).
 */
export const InitiativeRevisionSchema = defineEntity({
  name: 'InitiativeRevision',
  tableName: 'initiative_revision',
  properties: {
    initiativeId: p.integer().primary().autoincrement(false),
    revision: p.integer(),
  },
});

/**
 * The figures last published for each node (node 0: the initiative itself): the "before" of the
 * next figure event, exact in commit order whatever kind of write moves a figure.
 */
export const FigureStateSchema = defineEntity({
  name: 'FigureState',
  tableName: 'figure_state',
  properties: {
    initiativeId: p.integer().primary(),
    nodeId: p.integer().primary(),
    credit: p.bigint('number'),
    counted: p.bigint('number'),
    total: p.integer(),
  },
});

export type Outbox = InferEntity<typeof OutboxSchema>;
export type OutboxPosition = InferEntity<typeof OutboxPositionSchema>;
export type InitiativeRevision = InferEntity<typeof InitiativeRevisionSchema>;
export type FigureState = InferEntity<typeof FigureStateSchema>;
