import { existsSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { previousRelease, writePreviousRelease } from '../helpers/previous-release.js';
import { createToken, runCli } from '../helpers/server-process.js';

describe('the jindu command line on a SQLite file', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-cli-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds an empty database once, and starts over only with --reset --yes', async () => {
    const first = await runCli(['seed'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('loaded the week-20 seed: 6 initiatives, 178 items');
    const again = await runCli(['seed'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('jindu seed: the database already has 6 initiative(s)');
    const unconfirmed = await runCli(['seed', '--reset'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('log row and API token; add --yes to confirm');
    expect((await runCli(['seed', '--reset', '--yes'], env)).code).toBe(0);
  });

  // A mistyped path with a refused command used to leave a new, migrated database behind, which
  // `verify` then called ok: the very typo openExistingDatabase is there to catch.
  it('a refused seed --reset or token create creates no database', async () => {
    const typo = join(dir, 'typo', 'j.sqlite');
    const at = { DATABASE_URL: `sqlite:${typo}` };
    const cases = [
      [['seed', '--reset'], 'add --yes to confirm'],
      [['token', 'create', '--name', 'x', '--role', 'admin', '--expires', '0d'], '--expires'],
      [['token', 'create', '--name', 'x', '--role', 'owner'], 'viewer'],
    ] as const;
    for (const [args, why] of cases) {
      const res = await runCli([...args], at);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain(why);
      expect(existsSync(typo), args.join(' ')).toBe(false);
    }
  });

  it('snapshot says which command refused, and an unknown key exits 4 as elsewhere', async () => {
    const unknown = await runCli(['snapshot', '--initiative', 'nosuch'], env);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr.trim()).toMatch(
      /^jindu snapshot: no initiative with key "nosuch"; keys: .*\bhive\b/,
    );
    const badAt = await runCli(['snapshot', '--at', 'yesterday'], env);
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toMatch(/^jindu snapshot: --at must be an ISO date/);
  });

  it('creates, lists and revokes tokens without ever printing a secret twice', async () => {
    const created = await runCli(
      [
        'token',
        'create',
        '--name',
        'ci-bot',
        '--role',
        'viewer',
        '--initiative',
        'hive',
        '--expires',
        '2w',
      ],
      env,
    );
    expect(created.code).toBe(0);
    const secret = created.stdout.trimEnd().split('\n').at(-1)!;
    expect(secret).toMatch(/^jindu_[A-Za-z0-9_-]{43}$/);
    const list = await runCli(['token', 'list'], env);
    expect(list.code).toBe(0);
    const [header, row, ...rest] = list.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME +ROLE +INITIATIVE +PREFIX +CREATED +EXPIRES +LAST USED +STATE$/);
    expect(row).toMatch(
      /^ci-bot +viewer +hive +jindu_\S{4}… +\d{4}-\d\d-\d\d \d\d:\d\dZ .* active$/,
    );
    expect(rest).toEqual([]);
    // Every column starts where its header does.
    for (const title of ['ROLE', 'INITIATIVE', 'STATE'])
      expect(row!.at(header!.indexOf(title) - 1)).toBe(' ');
    expect(list.stdout).not.toMatch(/\(index\)|['"│┌]/);
    expect(list.stdout).not.toContain(secret);
    const json = JSON.parse((await runCli(['token', 'list', '--json'], env)).stdout);
    expect(json).toEqual([
      expect.objectContaining({
        name: 'ci-bot',
        role: 'viewer',
        initiative: 'hive',
        state: 'active',
      }),
    ]);
    expect(JSON.stringify(json)).not.toContain(secret);
    const duplicate = await runCli(
      ['token', 'create', '--name', 'ci-bot', '--role', 'viewer'],
      env,
    );
    expect(duplicate.code).toBe(1); // a well-formed command that failed, not a usage error
    expect(duplicate.stderr).toBe('jindu token: a token named "ci-bot" already exists\n');
    const unknownKey = await runCli(
      ['token', 'create', '--name', 'y', '--role', 'viewer', '--initiative', 'hvie'],
      env,
    );
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toMatch(
      /^jindu token: no initiative with key "hvie"; keys: .*\bhive\b/,
    );
    expect(
      (
        await runCli(
          ['token', 'create', '--name', 'x', '--role', 'viewer', '--expires', 'soon'],
          env,
        )
      ).code,
    ).toBe(2);
    expect((await runCli(['token', 'revoke', 'ci-bot'], env)).stdout).toContain(
      'revoked token "ci-bot"',
    );
    expect((await runCli(['token', 'list'], env)).stdout).toMatch(/ci-bot .* revoked\n$/);
    const twice = await runCli(['token', 'revoke', 'ci-bot'], env);
    expect([twice.code, twice.stdout]).toEqual([
      0,
      expect.stringContaining('token "ci-bot" was already revoked'),
    ]);
    const nobody = await runCli(['token', 'revoke', 'nobody'], env);
    expect(nobody.stderr).toBe('jindu token: no token named "nobody"\n');
    expect(nobody.code).toBe(1);
  });

  it('verify exits 0 on a consistent database and 1, naming the place, on a corrupted counter', async () => {
    const clean = await runCli(['verify'], env);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('checked 6 initiatives, 18 workstreams, 178 items');
    const orm = await openOrm({ databaseUrl: env.DATABASE_URL! });
    const em = orm.em.fork() as Em;
    const [row] = await em.execute(
      "select workstream_id from workstream_tally where status = 'DONE' and items > 0 limit 1",
    );
    await em.execute(
      "update workstream_tally set items = items + 1 where workstream_id = ? and status = 'DONE'",
      [row!.workstream_id],
      'run',
    );
    await orm.close();
    const dirty = await runCli(['verify'], env);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain(`workstream ${row!.workstream_id} DONE.items`);
    expect(dirty.stdout).toContain('1 difference(s)');
    const json = JSON.parse((await runCli(['verify', '--json'], env)).stdout);
    expect(json.differences).toEqual([
      expect.objectContaining({ workstreamId: Number(row!.workstream_id), what: 'DONE.items' }),
    ]);
  });

  it("says so on stderr when a command upgrades an older release's database first", async () => {
    const old = { DATABASE_URL: `sqlite:${join(dir, 'old.sqlite')}` };
    const orm = await openOrm({ databaseUrl: old.DATABASE_URL });
    await writePreviousRelease(orm, 'sqlite', previousRelease());
    await orm.close();
    const first = await runCli(['verify'], old);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /^upgraded the database schema to this release first \(applied \S+/,
    );
    const again = await runCli(['verify'], old);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
  });

  // Commands that may only read (import, token revoke, snapshot) open without the write probe;
  // their first write on a read-only file printed SQLite's bare "attempt to write a readonly
  // database", naming no file.
  it('a write refused by a read-only SQLite file names the file, whichever command met it', async () => {
    const file = join(dir, 'read-only.sqlite');
    const at = { DATABASE_URL: `sqlite:${file}` };
    expect((await runCli(['seed'], at)).code).toBe(0);
    await createToken(at, 'ro-bot', 'viewer');
    // A file format write version above 2 makes SQLite open the file read-only, for root too
    // (a file's mode does not stop root, and the tests may run as root).
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([3]), 0, 1, 18);
    closeSync(fd);
    for (const args of [['token', 'revoke', 'ro-bot'], ['snapshot']]) {
      const res = await runCli(args, at);
      expect([res.code, res.stderr], args.join(' ')).toEqual([
        1,
        expect.stringMatching(
          /^jindu: cannot write the SQLite database \S*read-only\.sqlite \(SQLITE_READONLY\): /,
        ),
      ]);
    }
    expect((await runCli(['verify'], at)).code).toBe(0);
  });
});
