import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_HEADER_START, GOLDEN_HIVE } from '../helpers/golden-report.js';
import { runCli, startServer, type ServerProcess } from '../helpers/server-process.js';

describe('npx jindu report against a running server', () => {
  let dir: string;
  let server: ServerProcess;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-report-'));
    server = await startServer({ DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}` });
    url = `${server.url}/graphql`;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the header and the six lines of the report', async () => {
    const res = await runCli(['report', 'hive', '--url', url], {});
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const [header, ...lines] = res.stdout.trimEnd().split('\n');
    expect(header!.startsWith(GOLDEN_HEADER_START)).toBe(true);
    expect(lines).toEqual(GOLDEN_HIVE);
  });

  it('a value the server refuses is a usage error; a report known before its data says why it is empty', async () => {
    const ahead = await runCli(['report', 'hive', '--url', url, '--compare', '2030-01-01'], {});
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toContain('the server refused an option value (BAD_USER_INPUT:');
    const early = await runCli(
      ['report', 'hive', '--url', url, '--known-at', '2023-05-15T09:00:00+08:00'],
      {},
    );
    expect(early.code).toBe(0);
    expect(early.stderr).toContain('nothing was recorded by --known-at 2023-05-15T09:00:00+08:00');
    const all = await runCli(
      [
        'report',
        '--all',
        '--url',
        url,
        '--date',
        '2023-05-13',
        '--known-at',
        '2023-05-15T09:00:00+08:00',
      ],
      {},
    );
    expect(all.stderr).toContain('nothing was recorded by --known-at');
    // Known after the seed was loaded: the report as the README shows it, and no warning.
    const later = await runCli(
      ['report', 'hive', '--url', url, '--known-at', new Date().toISOString()],
      {},
    );
    expect(later.stderr).toBe('');
    expect(later.stdout.trimEnd().split('\n').slice(1)).toEqual(GOLDEN_HIVE);
    // A day, as --date takes one: its end (+08:00), today now. The seed was loaded today.
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 16 * 3_600_000).toISOString().slice(0, 10);
    const today = await runCli(['report', 'hive', '--url', url, '--known-at', day], {});
    expect([today.code, today.stderr]).toEqual([0, '']);
    expect(today.stdout.trimEnd().split('\n').slice(1)).toEqual(GOLDEN_HIVE);
    const before = await runCli(['report', 'hive', '--url', url, '--known-at', yesterday], {});
    expect(before.stderr).toContain(`nothing was recorded by --known-at ${yesterday}`);
  });

  it('writes JSON, English and Markdown, and to a file', async () => {
    const json = JSON.parse(
      (await runCli(['report', 'hive', '--url', url, '--format', 'json'], {})).stdout,
    );
    expect(json).toMatchObject({ key: 'hive', name: 'Hive数仓建设' });
    expect(json.reportLines.slice(1)).toEqual(GOLDEN_HIVE);
    const en = await runCli(['report', 'hive', '--url', url, '--lang', 'en'], {});
    expect(
      en.stdout.startsWith(
        'Hive数仓建设 总进度: 87.23%; 迁移进度 (164 items): 86.11%', // the named figures' own names
      ),
    ).toBe(true);
    const out = join(dir, 'reports', 'week-20.md');
    const all = await runCli(
      [
        'report',
        '--all',
        '--url',
        url,
        '--format',
        'markdown',
        '--date',
        '2023-05-13',
        '--out',
        out,
      ],
      {},
    );
    expect(all.code).toBe(0);
    expect(all.stderr).toContain(`wrote ${out}`);
    const md = readFileSync(out, 'utf8');
    expect(md.startsWith('# 第20周 2023/05/13\n')).toBe(true);
    expect(md).toContain(`    ${GOLDEN_HIVE[1]}\n`);
    // The whole 上周进展 from the data, over the CLI too.
    for (const line of [
      '- 入金有效成功率：99.81%',
      '- 事故数AB级0次，CD级0次',
      '    5. 网联代收：本周已启动，技术设计文档编写完成，待评审。预计接入8个接口，需要3人日开发。',
      '- 4月份实收成本：1,409,444.598，较上月降低212,528.2195元',
      '# 下周工作及目标',
    ])
      expect(md.split('\n')).toContain(line);
    // As text, --all is the same document: no initiative's raw lines beside it (they said
    // 暂无 for the metric-only 系统运行数据), and no figure reads —%.
    const text = await runCli(['report', '--all', '--url', url, '--date', '2023-05-13'], {});
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(md);
    expect(text.stdout).not.toContain('暂无');
    expect(text.stdout).not.toContain('—%');

    // One initiative's part of that document, as the document writes it.
    const section = await runCli(
      ['report', 'hive', '--section', '--url', url, '--date', '2023-05-13'],
      {},
    );
    expect(section.code).toBe(0);
    const hive = md.split('\n### C. Hive数仓建设\n')[1]!.split('\n## ')[0]!.trimEnd();
    expect(section.stdout).toContain(`## 【O2系统升级】\n\n### C. Hive数仓建设\n${hive}`);
    expect(section.stdout).not.toContain('支付账户2.0升级');
    expect(section.stdout).not.toContain('# 下周工作及目标');
  });

  it('fails clearly, with an exit code and no stack trace', async () => {
    const cases: [string[], number, string][] = [
      [
        ['report', 'nope', '--url', url],
        4,
        `no initiative with key "nope" at ${url}; keys: account-2, hive, payment-channels, pos, stability-cost, system-health`,
      ],
      [
        ['report', 'hive', '--url', 'http://127.0.0.1:9/graphql'],
        3,
        'cannot reach Jindu at http://127.0.0.1:9/graphql',
      ],
      [['report', '--url', url], 2, 'give one initiative key'],
      [['report', 'hive', '--all', '--url', url], 2, 'or --all, not both'],
      [['report', '--all', '--section', '--url', url], 2, '--section needs an initiative key'],
      [['report', 'nope', '--section', '--url', url], 4, 'no initiative with key "nope"'],
      [
        ['report', 'hive', '--url', `${server.url}/nowhere`],
        1,
        'the server answered an error: no GraphQL endpoint there (check --url or JINDU_URL) (NOT_FOUND: "',
      ],
      [['report', 'hive', '--format', 'pdf'], 2, "argument 'pdf' is invalid"],
      [['report', 'hive', '--url', 'notaurl'], 2, "argument 'notaurl' is invalid"],
    ];
    for (const [args, code, message] of cases) {
      const res = await runCli(args, {});
      expect(res.code).toBe(code);
      expect(res.stderr).toContain(message);
      expect(res.stderr.split('\n')).toHaveLength(2);
    }
  });

  it('finds the server from JINDU_URL, else from HOST and PORT as serve does', async () => {
    const { hostname, port } = new URL(server.url);
    const byPort = await runCli(['report', 'hive'], { JINDU_URL: '', HOST: hostname, PORT: port });
    expect(byPort.code).toBe(0);
    expect(byPort.stdout.trimEnd().split('\n').slice(1)).toEqual(GOLDEN_HIVE);
    const byUrl = await runCli(['report', 'hive'], { JINDU_URL: url, PORT: '9' });
    expect(byUrl.code).toBe(0);
    // The server's own address, as `npm start` prints it, stands for its /graphql.
    for (const run of [
      await runCli(['report', 'hive', '--url', server.url], {}),
      await runCli(['report', 'hive'], { JINDU_URL: `${server.url}/`, PORT: '9' }),
    ]) {
      expect(run.code).toBe(0);
      expect(run.stdout.trimEnd().split('\n').slice(1)).toEqual(GOLDEN_HIVE);
    }
    // --url wins over JINDU_URL.
    const over = await runCli(['report', 'hive', '--url', 'http://127.0.0.1:9/graphql'], {
      JINDU_URL: url,
    });
    expect(over.code).toBe(3);
    const bad = await runCli(['report', 'hive'], { JINDU_URL: 'ftp://x' });
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe(
      'jindu report: JINDU_URL must be an http:// or https:// URL, got "ftp://x"\n',
    );
  });

  it('refuses a second server on the same SQLite file with one line', async () => {
    const second = await runCli(['serve'], {
      DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}`,
      PORT: '0',
    });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      /^jindu: another jindu serve is already using \S+j\.sqlite .*\n$/,
    );
    // The first one still serves.
    expect((await fetch(`${server.url}/livez`)).status).toBe(200);
  });
});

describe('jindu report against a server that sends terminal control sequences', () => {
  const LINES = [
    'Hive\x1b]0;owned\x07总进度：87.23%',
    '1.【\x1b[2J\x1b[H伪造\u202e】\r完成',
    'x\x9b31my',
  ];
  // Names stored before the text rule existed can hold Markdown syntax and line breaks.
  const MARKDOWN_LINES = ['Hive总进度：87.23%', '1.【*粗体* [链接](http://x)】\n## 伪造标题'];
  let fake: Server;
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-report-'));
    fake = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        const key = (JSON.parse(body) as { variables: { key: string } }).variables.key;
        if (key === 'hive' || key === 'md') {
          const reportLines = key === 'hive' ? LINES : MARKDOWN_LINES;
          const initiative = { key, name: 'Hive', objective: null, reportLines };
          res.end(JSON.stringify({ data: { initiative } }));
        } else {
          const error = {
            message: '\x1b[31m拒绝\x1b]8;;http://evil\x1b\\点我',
            extensions: { code: 'FORBIDDEN' },
          };
          res.end(JSON.stringify({ errors: [error] }));
        }
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => {
    fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints report lines and server messages without them, and --out keeps the exact text', async () => {
    const res = await runCli(['report', 'hive', '--url', url], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('Hive总进度：87.23%\n1.【伪造】完成\nxy\n');
    const refused = await runCli(['report', 'other', '--url', url], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'jindu report: the server answered an error: the token may not read this (FORBIDDEN: "拒绝点我")\n',
    );
    const out = join(dir, 'hive.txt');
    expect((await runCli(['report', 'hive', '--url', url, '--out', out], {})).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${LINES.join('\n')}\n`);
  });

  it('escapes Markdown in stored text when one initiative is printed as Markdown', async () => {
    const out = join(dir, 'md.md');
    const res = await runCli(
      ['report', 'md', '--url', url, '--format', 'markdown', '--out', out],
      {},
    );
    expect(res.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      '- Hive总进度：87.23%\n    1.【\\*粗体\\* \\[链接\\](http://x)】 ## 伪造标题\n',
    );
  });
});
