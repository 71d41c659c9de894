import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Em } from '../../../src/db/em.js';
import type { OutboxRow } from '../../../src/db/queries/outbox.queries.js';
import type { LiveEvent } from '../../../src/domain/live-events.js';
import { OutboxFeed } from '../../../src/services/live/outbox-feed.js';

/** An outbox in memory behind the two statements the feed runs; reads can be held back. */
function fakeOutbox() {
  const rows: OutboxRow[] = [];
  let reads = 0;
  let hold: Promise<void> | null = null;
  const driver = {};
  const em = {
    getDriver: () => driver, // no group commit: every row read is on disk
    async execute(sql: string, params: unknown[] = []) {
      if (sql.includes('from outbox_position'))
        return rows.length > 0 ? [{ seq: rows[rows.length - 1]!.seq }] : [];
      reads++;
      const [after, limit] = params as [number, number];
      const found = rows.filter((r) => r.seq > after).slice(0, limit);
      if (hold) await hold;
      return found.map((r) => ({
        seq: r.seq,
        initiative_id: r.initiativeId,
        revision: r.revision,
        payload: r.payload,
        created_at: r.createdAt.toISOString(),
      }));
    },
  } as unknown as Em;
  const commit = (seq: number): OutboxRow => {
    const row: OutboxRow = {
      seq,
      initiativeId: 1,
      revision: seq,
      payload: JSON.stringify({ seq, initiativeId: 1 }),
      createdAt: new Date(),
    };
    rows.push(row);
    return row;
  };
  return {
    em: () => em,
    commit,
    reads: () => reads,
    holdReads() {
      let release!: () => void;
      hold = new Promise((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

async function startedFeed(outbox: ReturnType<typeof fakeOutbox>) {
  const feed = new OutboxFeed(outbox.em, pino({ level: 'silent' }), { catchUpMs: 60_000 });
  await feed.start();
  const seen: number[] = [];
  feed.listen((event: LiveEvent) => seen.push(event.seq));
  return { feed, seen };
}

describe("the outbox feed and this process's own commits", () => {
  it('hands out the next rows a write committed without reading them back', async () => {
    const outbox = fakeOutbox();
    outbox.commit(1);
    const { feed, seen } = await startedFeed(outbox);
    await feed.take([outbox.commit(2)]);
    await feed.take([outbox.commit(3), outbox.commit(4)]);
    expect(seen).toEqual([2, 3, 4]);
    expect(outbox.reads()).toBe(0);
    expect(feed.position).toBe(4);
    feed.stop();
  });

  it('reads when another writer committed in between, and hands each row out once, in order', async () => {
    const outbox = fakeOutbox();
    const { feed, seen } = await startedFeed(outbox);
    outbox.commit(1); // another process or instance
    await feed.take([outbox.commit(2)]);
    expect(seen).toEqual([1, 2]);
    expect(outbox.reads()).toBe(1);
    await feed.take([outbox.commit(3)]);
    expect(seen).toEqual([1, 2, 3]);
    expect(outbox.reads()).toBe(1);
    feed.stop();
  });

  it('does not hand out twice a row committed while a read is under way', async () => {
    const outbox = fakeOutbox();
    const { feed, seen } = await startedFeed(outbox);
    outbox.commit(1);
    const release = outbox.holdReads();
    const reading = feed.wake(); // reads row 1, held back
    const taken = feed.take([outbox.commit(2)]); // while the read is under way
    release();
    await reading;
    await taken;
    await feed.wake();
    expect(seen).toEqual([1, 2]);
    feed.stop();
  });

  it('reads nothing for a ring naming a seq it handed out, and reads for a later one', async () => {
    const outbox = fakeOutbox();
    const { feed, seen } = await startedFeed(outbox);
    await feed.take([outbox.commit(1)]);
    await feed.take([outbox.commit(2), outbox.commit(3)]);
    // The NOTIFYs of those commits, in any order and more than once.
    for (const seq of [3, 1, 2, 3]) await feed.wake(seq);
    expect(outbox.reads()).toBe(0);
    outbox.commit(4); // another instance's commit, and its NOTIFY
    await feed.wake(4);
    expect(outbox.reads()).toBe(1);
    await feed.wake(); // the catch-up names no seq: it reads
    expect(outbox.reads()).toBe(2);
    expect(seen).toEqual([1, 2, 3, 4]);
    feed.stop();
  });
});
