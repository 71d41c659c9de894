import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it('writes JSON, English and Markdown, and to a file', async () => {
    const json = JSON.parse(
      (await runCli(['report', 'hive', '--url', url, '--format', 'json'], {})).stdout,
    );
    expect(json).toMatchObject({ key: 'hive', name: 'Hive数仓建设' });
    expect(json.reportLines.slice(1)).toEqual(GOLDEN_HIVE);
    const en = await runCli(['report', 'hive', '--url', url, '--lang', 'en'], {});
    expect(
      en.stdout.startsWith(
        'Hive数仓建设 overall progress: 87.23%; 迁移 progress (164 items): 86.11%',
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
  });

  it('fails clearly, with an exit code and no stack trace', async () => {
    const cases: [string[], number, string][] = [
      [['report', 'nope', '--url', url], 4, 'no initiative with key "nope"'],
      [
        ['report', 'hive', '--url', 'http://127.0.0.1:9/graphql'],
        3,
        'cannot reach Jindu at http://127.0.0.1:9/graphql',
      ],
      [['report', '--url', url], 2, 'give one initiative key'],
      [['report', 'hive', '--url', `${server.url}/nowhere`], 1, 'the server answered an error'],
      [['report', 'hive', '--format', 'pdf'], 1, "argument 'pdf' is invalid"],
    ];
    for (const [args, code, message] of cases) {
      const res = await runCli(args, {});
      expect(res.code).toBe(code);
      expect(res.stderr).toContain(message);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
