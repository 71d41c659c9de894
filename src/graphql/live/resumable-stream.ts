import { GraphQLError } from 'graphql';
import { canRead } from '../../domain/access.js';
import type { LiveEvent } from '../../domain/live-events.js';
import { readInitiativeOutboxSince } from '../../db/queries/outbox.queries.js';
import { durableCommits } from '../../db/group-commit.js';
import { decodeLiveEvent } from '../../db/outbox-payload.js';
import { liveStream, MAX_QUEUED } from './live-stream.js';
import { badInput, type SubscriptionContext } from './subscription-scope.js';

/**
 * Every event of one initiative the caller may still read (checked on each event). With
 * `afterRevision` (the last revision a client saw, before its socket dropped), the events
 * committed since then come first, from the outbox, then the live ones without a gap or a
 * repeat; when some are no longer there (the outbox keeps a week) or more than a queue's worth
 * are missing, RESUME_UNAVAILABLE says to refetch instead.
 */
export async function streamOf<T extends { seq: number }>(
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
