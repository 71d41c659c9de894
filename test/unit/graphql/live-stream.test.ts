import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../src/domain/live-events.js';
import { liveStream, MAX_QUEUED, type LiveSource } from '../../../src/graphql/live/live-stream.js';

/** A feed the test drives by hand. */
function feed() {
  const listeners = new Set<(e: LiveEvent) => void>();
  const source: LiveSource = {
    listen: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  return { source, send: (e: LiveEvent) => listeners.forEach((l) => l(e)) };
}
const event = (initiativeId: number, revision: number): LiveEvent => ({
  seq: revision,
  initiativeId,
  revision,
  actor: 't',
  recordedAt: '2026-12-01T00:00:00Z',
  changeIds: [],
  types: [],
  items: [],
  figures: [],
});
const resumed = (source: LiveSource) =>
  liveStream<{ seq: number; revision: number }>(
    source,
    (e) => e.initiativeId === 1,
    (e) => [{ revision: e.revision }],
    () => {},
    true,
  );
async function take(stream: AsyncIterableIterator<{ revision: number }>, n: number) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await stream.next()).value.revision);
  return out;
}

describe('a resumed live stream', () => {
  it('never hands out a revision the backlog had, even when the feed hands it out later', async () => {
    const { source, send } = feed();
    const stream = resumed(source);
    send(event(1, 7)); // held while the backlog is read; the backlog has it too
    expect(stream.release([event(1, 6), event(1, 7)], 7)).toBe(true);
    send(event(1, 7)); // this process's feed, behind the read, hands it out now
    send(event(1, 5)); // or one from before the resume point
    send(event(1, 8));
    expect(await take(stream, 3)).toEqual([6, 7, 8]);
  });

  it('holds only its own initiative’s events, so another’s burst does not end it', async () => {
    const { source, send } = feed();
    const stream = resumed(source);
    for (let r = 1; r <= MAX_QUEUED + 5; r++) send(event(2, r));
    send(event(1, 11));
    expect(stream.release([event(1, 10)], 10)).toBe(true);
    expect(await take(stream, 2)).toEqual([10, 11]);
  });

  it('refuses a backlog whose answers would not fit the queue, handing out nothing', async () => {
    const { source } = feed();
    const stream = resumed(source);
    const backlog = Array.from({ length: MAX_QUEUED + 1 }, (_, i) => event(1, i + 1));
    expect(stream.release(backlog, MAX_QUEUED + 1)).toBe(false);
  });
});
