import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../src/server/async-context.js';
import { POSTGRES_URL } from '../helpers/databases.js';
import { asAdmin } from '../helpers/pg-admin.js';
import { JINDU, ROOT, runCli } from '../helpers/server-process.js';

const version = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version as string;

/** One line on stderr, nothing on stdout, exit 2: how git and npm report a usage error. */
async function expectUsageError(args: string[], message: string) {
  const res = await runCli(args, {});
  expect(res.code, args.join(' ')).toBe(2);
  expect(res.stdout).toBe('');
  expect(res.stderr.split('\n')).toEqual([expect.stringContaining(message), '']);
  expect(res.stderr).toMatch(/; see jindu( \w+)* --help\n$/);
}

describe('the jindu command line, as a new user meets it', () => {
  it('prints the help for a bare `jindu` and starts nothing', async () => {
    const res = await runCli([], { DATABASE_URL: 'sqlite::memory:' });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^Usage: jindu \[options\] \[command\]/);
    expect(res.stdout).toContain('serve ');
    expect(res.stderr).toBe('');
  });

  it('stops quietly when the reader of its output goes away (`jindu --help | head -1`)', async () => {
    const child = spawn(process.execPath, [...NODE_FLAGS, JINDU, '--help'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader leaves before the help is written: EPIPE
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints the package version for --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const res = await runCli([flag], {});
      expect(res).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('answers --help and `help report` on stdout with exit 0', async () => {
    const res = await runCli(['help', 'report'], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: jindu report/);
    expect(res.stdout).toContain('JINDU_URL');
  });

  it('reports unknown commands and bad option values in one line with exit 2', async () => {
    await expectUsageError(['nosuchcmd'], "jindu: unknown command 'nosuchcmd'");
    await expectUsageError(['serv'], "unknown command 'serv' (did you mean serve?)");
    await expectUsageError(['report', 'hive', '--format', 'xml'], "argument 'xml' is invalid");
    await expectUsageError(['report', 'hive', '--url', 'notaurl'], "argument 'notaurl' is invalid");
    await expectUsageError(['report', 'hive', '--date', '13/05/2023'], 'YYYY-MM-DD');
    // Days JavaScript would roll over to another month are not dates.
    await expectUsageError(['report', 'hive', '--date', '2023-02-29'], 'real date');
    await expectUsageError(
      ['export', 'hive', '--as-of', '2023-02-30', '--out', 'x.csv'],
      'real date',
    );
    await expectUsageError(['report', 'hive', '--known-at', '2023-04-31T09:00:00Z'], 'ISO time');
    await expectUsageError(
      ['history', 'hive', '--from', '2023-05-01', '--known-at', '2023-06-31'],
      'real date',
    );
    await expectUsageError(['history', 'hive', '--from', '2023-02-30'], 'real date');
    await expectUsageError(
      ['history', 'hive', '--from', '2023-01-01', '--every', 'hour'],
      "option '--every <step>' argument 'hour' is invalid",
    );
    // A file name that says another format is asked about, not filled with the default's bytes.
    await expectUsageError(['export', 'hive', '--out', 'items.json'], 'cannot tell the format');
    await expectUsageError(['report', '--bogus'], "unknown option '--bogus'");
    // `help` for a name that is no command says so, as a mistyped command does.
    await expectUsageError(['help', 'exprot'], "jindu: unknown command 'exprot'");
    await expectUsageError(['token', 'help', 'craete'], "jindu token: unknown command 'craete'");
    // A CSV encoding asked for a workbook would be silently dropped.
    await expectUsageError(
      ['export', 'hive', '--out', 'x.xlsx', '--encoding', 'gb18030'],
      '--encoding applies to CSV',
    );
    await expectUsageError(
      ['token', 'create', '--name', 'x'],
      "jindu token create: required option '--role <role>' not specified",
    );
  });

  it('refuses to read a database that is not there, and creates none (a mistyped DATABASE_URL)', async () => {
    const file = join(tmpdir(), `jindu-missing-${process.pid}`, 'typo.sqlite');
    const env = { DATABASE_URL: `sqlite:${file}` };
    const commands = [
      ['verify'],
      ['verify', '--replay'],
      ['token', 'list'],
      ['token', 'revoke', 'someone'],
      ['export', 'hive', '--out', join(tmpdir(), `jindu-missing-${process.pid}.csv`)],
      ['snapshot'],
    ];
    const runs = await Promise.all(commands.map((args) => runCli(args, env)));
    runs.forEach((res, i) => {
      expect(res.code, commands[i]!.join(' ')).toBe(1);
      expect(res.stderr).toContain(`no database at ${file}`);
    });
    expect(existsSync(file)).toBe(false);
    // A path SQLite cannot open (a directory) is named, with what usually causes it.
    const folder = await runCli(['migrate'], { DATABASE_URL: `sqlite:${tmpdir()}` });
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(
      `jindu: cannot open the SQLite database ${tmpdir()} (is it a directory, or is its folder not writable?)\n`,
    );
    // serve's lock beside the file, when it cannot be opened, is named the same way.
    const beside = mkdtempSync(join(tmpdir(), 'jindu-lock-'));
    mkdirSync(join(beside, 'j.sqlite-serve.lock'));
    try {
      const serve = await runCli(['serve'], {
        DATABASE_URL: `sqlite:${join(beside, 'j.sqlite')}`,
        PORT: '0',
      });
      expect(serve.code).toBe(1);
      expect(serve.stderr).toContain(
        `cannot open ${join(beside, 'j.sqlite-serve.lock')}, the lock beside the database`,
      );
    } finally {
      rmSync(beside, { recursive: true, force: true });
    }
  });

  it.skipIf(!POSTGRES_URL)(
    'on PostgreSQL too: a mistyped database name is said, and no database is created',
    async () => {
      const name = `jindu_typo_${process.pid}`;
      const url = new URL(POSTGRES_URL!);
      url.pathname = `/${name}`;
      const runs = await Promise.all(
        [['verify'], ['token', 'list']].map((args) => runCli(args, { DATABASE_URL: url.href })),
      );
      for (const res of runs) {
        expect(res.code).toBe(1);
        expect(res.stderr).toContain('no database at postgres://');
        expect(res.stderr).toContain(name);
      }
      const found = await asAdmin(async (em) => {
        const rows = await em.execute('select 1 from pg_database where datname = ?', [name]);
        await em.execute(`drop database if exists "${name}"`); // left by a regression only
        return rows;
      });
      expect(found).toEqual([]);
    },
  );

  it('migrate names each migration it applied, and none the second time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jindu-migrate-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'm.sqlite')}` };
    try {
      const first = await runCli(['migrate'], env);
      expect(first.code).toBe(0);
      const lines = first.stdout.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.slice(0, -1).every((l) => l.startsWith('applied migration '))).toBe(true);
      expect(lines.at(-1)).toMatch(/^schema up to date/);
      const again = await runCli(['migrate'], env);
      expect(again.stdout.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('strips terminal controls from what it echoes of the command line', async () => {
    const res = await runCli(['no\x1b]0;title\x07such'], {});
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown command 'nosuch'");
    expect(res.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('keeps its compiled code in the checkout, or where NODE_COMPILE_CACHE says, never in the shared temporary directory', async () => {
    const own = join(ROOT, 'node_modules', '.cache', 'jindu-compile');
    const shared = join(tmpdir(), 'node-compile-cache');
    const sharedBefore = existsSync(shared) ? readdirSync(shared, { recursive: true }).length : 0;
    rmSync(own, { recursive: true, force: true });
    expect((await runCli(['--version'], { NODE_COMPILE_CACHE: '' })).code).toBe(0);
    expect(readdirSync(own, { recursive: true }).length).toBeGreaterThan(0);
    const named = mkdtempSync(join(tmpdir(), 'jindu-compile-'));
    try {
      expect((await runCli(['--version'], { NODE_COMPILE_CACHE: named })).code).toBe(0);
      expect(readdirSync(named, { recursive: true }).length).toBeGreaterThan(0);
    } finally {
      rmSync(named, { recursive: true, force: true });
    }
    const sharedAfter = existsSync(shared) ? readdirSync(shared, { recursive: true }).length : 0;
    expect(sharedAfter).toBe(sharedBefore);
  });

  it('refuses an old Node with one line instead of crashing', () => {
    // The machine's own node (20) crashed with a segmentation fault in better-sqlite3.
    const old = spawnSync('/usr/bin/node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const [major, minor] = old.stdout.trim().split('.').map(Number);
    expect(major! < 22 || (major === 22 && minor! < 17), `system node ${old.stdout}`).toBe(true);
    for (const args of [['--version'], ['serve']]) {
      const res = spawnSync('/usr/bin/node', [JINDU, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: 'sqlite::memory:', PORT: '0' },
        timeout: 30_000,
      });
      expect(res.signal).toBeNull();
      expect(res.status).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toBe(
        `jindu needs Node ≥ 22.17, this is Node ${old.stdout.trim()}; run it through npm (npm start, npx jindu …), which brings Node 22, or install Node 22\n`,
      );
    }
  });
});
