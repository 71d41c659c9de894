import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from '../helpers/http-client.js';
import { runCli, startServer, type ServerProcess } from '../helpers/server-process.js';
import { generateHistory, WEEK, type GeneratedHistory } from '../helpers/time-history.js';
import type { TestApp } from '../helpers/test-app.js';
import { reportDateOf } from '../../src/domain/report-day.js';

const READ = `query($at: DateTimeISO!) { initiative(key: "hist", asOf: $at) {
  progress { percent credit counted total byStatus { status count } } } }`;

describe('jindu history and report --compare against a server with a generated history', () => {
  let dir: string;
  let server: ServerProcess;
  let url: string;
  let api: Pick<TestApp, 'ok'>;
  let history: GeneratedHistory;
  let env: Record<string, string>;
  const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-history-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` };
    await runCli(['migrate'], env);
    const created = await runCli(['token', 'create', '--name', 'owner', '--role', 'admin'], env);
    server = await startServer(env);
    url = `${server.url}/graphql`;
    api = httpClient(server.url, created.stdout.trim().split('\n').at(-1)!);
    history = await generateHistory(api, 'hist', 10);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown key exits 4 and lists the keys the server has', async () => {
    const res = await runCli(['history', 'hsit', '--url', url], {});
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(
      /^jindu history: no initiative with key "hsit" at .*; keys: .*\bhist\b/,
    );
  });

  it('--format csv: one row a week, each equal to an as-of read at its time', async () => {
    const from = new Date(history.start + 2 * 3_600_000).toISOString();
    const asked = Date.now();
    const res = await runCli(['history', 'hist', '--from', from, '--url', url], {});
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const [head, ...rows] = res.stdout.trimEnd().split('\n');
    const statuses = head!.split(',').slice(5);
    expect(head!.split(',').slice(0, 5)).toEqual(['at', 'percent', 'credit', 'counted', 'total']);
    // A row a week from --from, then the series' end: now, the live figure.
    expect(rows).toHaveLength(history.weeks + 1);
    for (const [n, row] of rows.entries()) {
      const [at, percent, credit, counted, total, ...counts] = row.split(',');
      // Written in the team's time zone, as a report's day is.
      expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
      if (n < history.weeks) expect(Date.parse(at!)).toBe(Date.parse(from) + n * WEEK);
      else expect(Date.parse(at!)).toBeGreaterThanOrEqual(asked);
      const p = (await api.ok(READ, { at })).initiative.progress;
      expect([percent, credit, counted, total].map(Number)).toEqual([
        p.percent,
        p.credit,
        p.counted,
        p.total,
      ]);
      const byStatus = Object.fromEntries(p.byStatus.map((s: any) => [s.status, s.count]));
      expect(counts.map(Number)).toEqual(statuses.map((s) => byStatus[s]));
    }
    // The series moves: more credit at the end than at the start.
    expect(Number(rows.at(-1)!.split(',')[2])).toBeGreaterThan(Number(rows[0]!.split(',')[2]));
  });

  // --from was required: `jindu history hive` alone was a usage error.
  it('without --from: the last 12 steps to now, 13 points', async () => {
    const asked = Date.now();
    const weekly = await runCli(['history', 'hist', '--url', url], {});
    expect(weekly).toMatchObject({ code: 0, stderr: '' });
    const at = (csv: string) =>
      csv
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((row) => row.split(',')[0]!);
    const weeks = at(weekly.stdout);
    expect(weeks).toHaveLength(13);
    expect(Date.parse(weeks.at(-1)!)).toBeGreaterThanOrEqual(asked);
    for (const [n, t] of weeks.entries())
      expect(Date.parse(t)).toBe(Date.parse(weeks[0]!) + n * WEEK);
    const monthly = at(
      (await runCli(['history', 'hist', '--every', 'month', '--url', url], {})).stdout,
    );
    expect(monthly).toHaveLength(13);
    // A year of calendar months in the team's time zone: the same day and time, a year before.
    expect(monthly[0]!.slice(4)).toBe(monthly.at(-1)!.slice(4));
    expect(Number(monthly[0]!.slice(0, 4))).toBe(Number(monthly.at(-1)!.slice(0, 4)) - 1);
  });

  it('--format json with --to and --out gives the same points as csv', async () => {
    const from = day(history.start + WEEK);
    const to = day(history.start + 6 * WEEK);
    const out = join(dir, 'h.json');
    const args = ['history', 'hist', '--from', from, '--to', to, '--every', 'week', '--url', url];
    const json = await runCli([...args, '--format', 'json', '--out', out], {});
    expect(json.code).toBe(0);
    const points = JSON.parse(readFileSync(out, 'utf8'));
    const csv = (await runCli([...args, '--format', 'csv'], {})).stdout.trimEnd().split('\n');
    expect(points).toHaveLength(csv.length - 1);
    expect(points).toHaveLength(6);
    expect(points.at(-1).at).toBe(`${to}T23:59:59.999+08:00`);
    for (const [n, p] of points.entries()) {
      const [at, percent, credit, counted, total] = csv[n + 1]!.split(',');
      expect(p).toMatchObject({
        at,
        percent: Number(percent),
        credit: Number(credit),
        counted: Number(counted),
        total: Number(total),
      });
      // A day is its end (+08:00), as report --date and export --as-of take it.
      expect(Date.parse(p.at)).toBe(Date.parse(`${from}T23:59:59.999+08:00`) + n * WEEK);
    }
    // Today's end has not come: --to today ends now instead of being refused as the future.
    const asked = Date.now();
    const today = await runCli(
      ['history', 'hist', '--from', day(asked - 2 * WEEK), '--to', day(asked), '--url', url],
      {},
    );
    expect(today.code, today.stderr).toBe(0);
    const last = today.stdout.trimEnd().split('\n').at(-1)!.split(',')[0]!;
    expect(Date.parse(last)).toBeGreaterThanOrEqual(asked - 1_000);
  });

  it('refuses bad input with an exit code and one line', async () => {
    const cases: [string[], number, string][] = [
      [['--from', '2026-01-10', '--to', '2026-01-01'], 2, 'from 不能晚于 to'],
      [['--from', 'yesterday'], 2, 'a real date (YYYY-MM-DD) or an ISO time'],
      [
        ['--from', '2026-01-01', '--every', 'year'],
        2,
        "argument 'year' is invalid. Allowed choices are day, week, month",
      ],
      [['--from', '2026-01-01', '--format', 'xml'], 2, 'Allowed choices are csv, json'],
      // A day after today is the future, as the help says: refused, not quietly cut to now.
      [['--from', '2026-01-01', '--to', '2099-01-01'], 2, 'to 不能晚于所读的时间'],
    ];
    for (const [args, code, message] of cases) {
      const res = await runCli(['history', 'hist', ...args, '--url', url], {});
      expect(res.code).toBe(code);
      expect(res.stderr).toContain(message);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    // --url is checked as report's is: an http(s) URL, or a usage error.
    const badUrl = await runCli(
      ['history', 'hist', '--from', '2026-01-01', '--url', 'notaurl'],
      {},
    );
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain("argument 'notaurl' is invalid");
  });

  it('report --compare last-week adds the week’s change, as the server words it', async () => {
    const res = await runCli(['report', 'hist', '--compare', 'last-week', '--url', url], {});
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const since = new Date(Date.now() - WEEK).toISOString();
    const server = (
      await api.ok(
        `query($since: DateTimeISO!) { initiative(key: "hist") {
          reportLines(compareTo: $since) progressChange(since: $since) { completed } } }`,
        { since },
      )
    ).initiative;
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines).toEqual(server.reportLines);
    expect(server.progressChange.completed).toBeGreaterThan(0);
    expect(lines[0]).toContain('较上周');
    expect(lines[0]).toContain(`本周完成${server.progressChange.completed}个`);
    const plain = await runCli(['report', 'hist', '--url', url], {});
    expect(plain.stdout).not.toContain('较上周');
    const en = await runCli(
      ['report', 'hist', '--compare', 'last-week', '--lang', 'en', '--url', url],
      {},
    );
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/last week/);
  });

  it("takes the format from --out's extension, and refuses a --format that contradicts it", async () => {
    const file = (name: string) => join(dir, name);
    expect((await runCli(['export', 'hist', '--out', file('items.csv')], env)).code).toBe(0);
    expect(readFileSync(file('items.csv'), 'utf8').replace(/^\uFEFF/, '')).toMatch(/^"?ID"?,/);
    expect((await runCli(['export', 'hist', '--out', file('items.xlsx')], env)).code).toBe(0);
    expect(readFileSync(file('items.xlsx')).subarray(0, 2).toString()).toBe('PK'); // a zip
    const clash = await runCli(
      ['export', 'hist', '--format', 'xlsx', '--out', file('clash.csv')],
      env,
    );
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('--format xlsx does not match --out');
    expect(clash.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(file('clash.csv'))).toBe(false);

    // One end for both runs: without --to each would end at its own now.
    const span = ['--from', day(history.start), '--to', new Date().toISOString()];
    const byName = ['history', 'hist', ...span, '--url', url, '--out', file('series.json')];
    expect((await runCli(byName, {})).code).toBe(0);
    const asked = ['history', 'hist', ...span, '--url', url, '--format', 'json'];
    expect(JSON.parse(readFileSync(file('series.json'), 'utf8'))).toEqual(
      JSON.parse((await runCli(asked, {})).stdout),
    );

    const md = ['report', 'hist', '--url', url, '--out', file('report.md')];
    expect((await runCli(md, {})).code).toBe(0);
    const mdAsked = await runCli(['report', 'hist', '--url', url, '--format', 'markdown'], {});
    expect(readFileSync(file('report.md'), 'utf8')).toBe(mdAsked.stdout);
  });

  it('--out - writes to stdout, and a --out that cannot be written is named with the reason', async () => {
    const toFile = join(dir, 'nested', 'deeper', 'items.csv');
    const written = await runCli(['export', 'hist', '--out', toFile], env);
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/^wrote .*items\.csv \(\d+ bytes\)\n$/);
    const piped = await runCli(['export', 'hist', '--format', 'csv', '--out', '-'], env);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(readFileSync(toFile, 'utf8'));
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
    const from = day(history.start);
    const series = await runCli(
      ['history', 'hist', '--from', from, '--url', url, '--out', '-'],
      {},
    );
    expect(series.stdout).toMatch(/^at,percent,/);

    // A directory, a path through a file: one line with the reason, exit 1, no stack.
    for (const [out, why] of [
      [dir, 'it is a directory; name a file in it'],
      [join(toFile, 'x.csv'), 'a part of the path is a file, not a directory'],
    ] as const) {
      const res = await runCli(['export', 'hist', '--out', out], env);
      expect(res, out).toEqual({
        code: 1,
        stdout: '',
        stderr: `jindu: cannot write ${out}: ${why}\n`,
      });
      const text = out.replace(/\.csv$/, '.md');
      const report = await runCli(['report', 'hist', '--url', url, '--out', text], {});
      expect(report).toEqual({
        code: 1,
        stdout: '',
        stderr: `jindu: cannot write ${text}: ${why}\n`,
      });
    }
  });

  it('import: a dry run writes nothing, the run applies, a re-run changes nothing; bad names exit 2 or 4', async () => {
    const sheet = join(dir, 'round-trip.csv');
    const exported = await runCli(['export', 'hist', '--out', sheet], env);
    expect(exported.code, exported.stderr).toBe(0);
    const [head, ...rows] = readFileSync(sheet, 'utf8').trimEnd().split('\r\n');
    const row = rows.findIndex((r) => !r.includes('"完成"'));
    const cells = rows[row]!.split(',');
    const id = cells[0]!.replace(/"/g, '');
    cells[3] = '"完成"';
    cells[4] = '"100"';
    rows[row] = cells.join(',');
    writeFileSync(sheet, `${[head, ...rows].join('\r\n')}\r\n`);
    const statusOf = async () =>
      (await api.ok(`query($id: ID!) { node(id: $id) { ... on Item { status } } }`, { id })).node
        .status;
    const before = await statusOf();

    const preview = await runCli(['import', sheet, '--initiative', 'hist', '--dry-run'], env);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain(`第 ${row + 2} 行 更新`);
    expect(preview.stdout).toMatch(/更新 1，.*试运行，未写入\n$/);
    expect(await statusOf()).toBe(before);

    const applied = await runCli(['import', sheet, '--initiative', 'hist'], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/更新 1，.*已写入/);
    expect(await statusOf()).toBe('DONE');
    const again = await runCli(['import', sheet, '--initiative', 'hist'], env);
    expect(again.stdout).toMatch(/^新建 0，更新 0，/);
    // Nothing to write is said so, not 已写入 after "writing 0 changes".
    expect(again.stdout).toMatch(/没有要写入的变更\n$/);
    expect(again.stderr).not.toContain('writing 0 changes');

    const unknown = await runCli(['import', sheet, '--initiative', 'nosuch'], env);
    // The keys there are follow, so a mistyped one can be put right.
    expect(unknown).toMatchObject({
      code: 4,
      stderr:
        'jindu import: 项目不存在：nosuch; keys: account-2, hist, hive, payment-channels, pos, stability-cost, system-health\n',
    });
    const unknownExport = await runCli(['export', 'nosuch', '--out', sheet], env);
    expect(unknownExport).toMatchObject({
      code: 4,
      stderr:
        'jindu export: 项目不存在：nosuch; keys: account-2, hist, hive, payment-channels, pos, stability-cost, system-health\n',
    });
    const folder = await runCli(['import', dir, '--initiative', 'hist'], env);
    expect(folder).toMatchObject({
      code: 2,
      stderr: `jindu import: ${dir} is not a file; name an .xlsx, .csv or .txt file\n`,
    });
    const missing = await runCli(['import', join(dir, 'gone.csv'), '--initiative', 'hist'], env);
    expect(missing.code).toBe(2);
  });

  it('import: a row refused for a line break in its name stays one line of the preview', async () => {
    const sheet = join(dir, 'line-breaks.csv');
    writeFileSync(
      sheet,
      '工作流,事项,状态\r\n新的,"两行\r\n名字",完成\r\n新的,"一\n二",未启动\r\n',
    );
    const preview = await runCli(['import', sheet, '--initiative', 'hist', '--dry-run'], env);
    expect(preview.code).toBe(1);
    const lines = preview.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('第 '))).toEqual([
      '第 2 行 错误 新的 · 两行↵名字  [事项] 名称只能是一行文字，不能包含换行',
      '第 3 行 错误 新的 · 一↵二  [事项] 名称只能是一行文字，不能包含换行',
    ]);
    expect(lines.every((l) => /^(第 \d+ 行|新建|新建工作流) /.test(l))).toBe(true);
  });

  it('import: Ctrl-C during the write rolls the whole file back, and says so', async () => {
    const sheet = join(dir, 'many.csv');
    const rows = Array.from({ length: 6_000 }, (_, i) => `中断/叶${i % 20},中断事项${i},未启动`);
    writeFileSync(sheet, `工作流,事项,状态\n${rows.join('\n')}\n`);
    let sent = false;
    const res = await runCli(['import', sheet, '--initiative', 'hist'], env, (stderr, child) => {
      if (!sent && stderr.includes('writing')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    // 6,000 rows and 21 new workstreams (中断 and its 20 leaves).
    expect(res.stderr).toContain('jindu import: writing 6021 changes');
    expect(res).toMatchObject({ code: 130 });
    expect(res.stderr).toContain('rolled back, nothing of it is written');
    const found = await api.ok(
      '{ initiative(key: "hist") { items(first: 1, search: "中断事项") { nodes { id } } } }',
    );
    expect(found.initiative.items.nodes).toEqual([]);
  });

  it('export --as-of writes the items as they stood at the end of that day', async () => {
    const date = day(history.start + 4 * WEEK);
    const out = join(dir, 'then.csv');
    const res = await runCli(
      ['export', 'hist', '--as-of', date, '--format', 'csv', '--out', out],
      env,
    );
    expect(res.code).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split(/\r?\n/);
    const at = new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();
    const then = (
      await api.ok(
        `query($at: DateTimeISO!) { initiative(key: "hist", asOf: $at) { items(first: 100) { totalCount nodes { id status } } } }`,
        { at },
      )
    ).initiative.items;
    expect(rows.length - 1).toBe(then.totalCount);
    const live = (await api.ok(`{ initiative(key: "hist") { items { totalCount } } }`)).initiative;
    expect(live.items.totalCount).not.toBe(then.totalCount);
    expect(new Set(rows.slice(1).map((r) => r.split(',')[0]!.replace(/^"|"$/g, '')))).toEqual(
      new Set(then.nodes.map((n: { id: string }) => n.id)),
    );
  });

  it('export --as-of a later day is refused, as report --date and history --to are', async () => {
    const tomorrow = reportDateOf(Date.now() + 86_400_000);
    const out = join(dir, 'later.csv');
    const res = await runCli(['export', 'hist', '--as-of', tomorrow, '--out', out], env);
    expect([res.code, res.stderr.trim()]).toEqual([
      2,
      `jindu export: --as-of ${tomorrow} is after today (${reportDateOf(Date.now())}, +08:00); nothing is known of it yet`,
    ]);
    expect(existsSync(out)).toBe(false);
    const today = await runCli(
      ['export', 'hist', '--as-of', reportDateOf(Date.now()), '--out', out],
      env,
    );
    expect(today.code).toBe(0);
  });
});
