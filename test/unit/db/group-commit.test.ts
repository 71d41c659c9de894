import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/db/group-commit.js';

/** A sync the test finishes by hand, one call at a time, in order. */
class HeldSyncs {
  readonly calls: ((err: Error | null) => void)[] = [];
  finished = 0;
  readonly sync = (_fd: number, done: (err: Error | null) => void) => void this.calls.push(done);
  finish(err: Error | null = null): void {
    this.calls[this.finished++]!(err);
  }
}

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe('group commit: a write is answered once a sync that began after its commit ends', () => {
  let dir: string;
  let wal: string;
  let commits: number;
  let syncs: HeldSyncs;
  let group: GroupCommit;
  let failures: Error[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-group-commit-'));
    wal = join(dir, 'db.sqlite-wal');
    writeFileSync(wal, 'frames');
    commits = 3; // committed before the group existed: not its to sync
    syncs = new HeldSyncs();
    failures = [];
    group = new GroupCommit(wal, () => commits, {
      sync: syncs.sync,
      onFailure: (err) => failures.push(err),
    });
  });
  afterEach(async () => {
    for (let i = syncs.finished; i < syncs.calls.length; i++) syncs.finish();
    await group.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not wait when every commit is on disk', () => {
    expect(group.durable()).toBeUndefined();
    expect(syncs.calls).toHaveLength(0);
  });

  it('waits for the sync of a new commit, then not again', async () => {
    commits++;
    const write = group.durable()!;
    expect(write).toBeInstanceOf(Promise);
    expect(syncs.calls).toHaveLength(1);
    expect(await settled(write)).toBe(false);
    syncs.finish();
    expect(await settled(write)).toBe(true);
    expect(group.durable()).toBeUndefined();
    expect(group.syncs).toBe(1);
    expect(group.committed).toBe(1); // the 3 before it began are not its own
  });

  it('covers the commits made during a sync with one more sync, shared by all of them', async () => {
    commits++;
    const first = group.durable()!;
    // Three more writes commit while the first sync runs: that sync may not hold their frames.
    const later = [1, 2, 3].map(() => {
      commits++;
      return group.durable()!;
    });
    expect(syncs.calls).toHaveLength(1);
    syncs.finish();
    expect(await settled(first)).toBe(true);
    for (const p of later) expect(await settled(p)).toBe(false);
    expect(syncs.calls).toHaveLength(2); // one sync for the three
    syncs.finish();
    for (const p of later) expect(await settled(p)).toBe(true);
    expect(group.syncs).toBe(2);
  });

  it('lets a waiter whose commit the running sync already covers go with it', async () => {
    commits += 2;
    const a = group.durable()!;
    const b = group.durable()!; // same commits, no new one
    syncs.finish();
    expect(await settled(a)).toBe(true);
    expect(await settled(b)).toBe(true);
    expect(syncs.calls).toHaveLength(1);
  });

  it('fails the same way when the WAL cannot even be opened', async () => {
    let committed = 0;
    const lost = new GroupCommit(join(dir, 'gone.sqlite-wal'), () => committed, {
      sync: syncs.sync,
    });
    committed++;
    await expect(lost.durable()).rejects.toMatchObject({ code: 'WAL_SYNC_FAILED' });
    expect(lost.broken).toBe(true);
    expect(syncs.calls).toHaveLength(0);
  });

  it('fails every wait after a failed sync and never syncs again', async () => {
    commits++;
    const write = group.durable()!;
    syncs.finish(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    await expect(write).rejects.toMatchObject({ code: 'WAL_SYNC_FAILED' });
    commits++;
    await expect(group.durable()).rejects.toThrow(/could not sync .*restart the server/);
    expect(syncs.calls).toHaveLength(1); // refused without another sync
    expect(failures).toHaveLength(1); // and told once
    expect(group.broken).toBe(true);
  });
});
