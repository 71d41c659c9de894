import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';

/** Issue 9, finding 3 (quality bar R10): names and notes that could forge reports are refused. */
describe.each(DIALECTS)('names and notes at every entry (%s)', (dialect) => {
  let app: HttpTestApp;
  let ini: string;
  let leaf: string;
  let item: string;
  const one = async (query: string, input: unknown) => {
    const res = await app.post(query, { input });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return Object.values(res.body.data)[0] as any;
  };
  const refused = async (query: string, input: unknown, field: string[]) => {
    const payload = await one(query, input);
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', field })]);
  };
  const names = async () =>
    (
      await app
        .em()
        .execute(
          `select name from workstream union all select name from item union all select name from initiative`,
        )
    ).map((r) => String(r.name));

  beforeAll(async () => {
    app = await startHttpApp(dialect);
    ini = (await one(CREATE_INITIATIVE, { key: 'text', name: '文字', objective: '【O9】' }))
      .initiative.id;
    leaf = (await one(CREATE_WORKSTREAM, { initiativeId: ini, name: '叶' })).workstream.id;
    item = (await one(CREATE_ITEMS, { workstreamId: leaf, items: [{ name: '事项' }] })).items[0].id;
  });
  afterAll(() => app?.close());

  const BAD_NAMES: [string, string][] = [
    ['a forged report line', 'X\n## 伪造标题\n1.【伪造】，进度：完成。'],
    ['an ANSI escape', '\u001b[31m红\u001b[0m'],
    ['CR', 'a\rb'],
    ['BEL', 'a\u0007b'],
    ['zero-width characters only', '\u200b\u200c\u200d'],
    ['U+202E only', '\u202e'],
    ['a bidi override', 'abc\u202etxt'],
    ['a lone surrogate (sent as \\ud800 in JSON)', 'a\ud800b'],
  ];

  it.each(BAD_NAMES)('refuses %s as a workstream, item or initiative name', async (_w, name) => {
    await refused(CREATE_WORKSTREAM, { initiativeId: ini, name }, ['name']);
    await refused(UPDATE_WORKSTREAM, { id: leaf, name }, ['name']);
    await refused(CREATE_ITEMS, { workstreamId: leaf, items: [{ name: 'ok' }, { name }] }, [
      'items',
      '1',
      'name',
    ]);
    await refused(CREATE_INITIATIVE, { key: 'bad-name', name }, ['name']);
    expect(await names()).not.toContain(name);
    expect((await names()).some((n) => n.includes('\uFFFD'))).toBe(false);
  });

  it('refuses controls in one-line texts: phase, objective, status labels', async () => {
    await refused(CREATE_WORKSTREAM, { initiativeId: ini, name: 'p', phase: '测试\n## x' }, [
      'phase',
    ]);
    await refused(CREATE_INITIATIVE, { key: 'obj', name: 'o', objective: '【O1】\n# x' }, [
      'objective',
    ]);
    await refused(
      CREATE_INITIATIVE,
      { key: 'lbl', name: 'l', statusLabels: [{ status: 'DONE', label: '完成\u001b[2J' }] },
      ['statusLabels'],
    );
  });

  it('keeps line breaks in notes, refuses other controls, on the entry’s own field', async () => {
    const ok = await one(SET_ITEM_STATUS, {
      itemId: item,
      status: 'IN_PROGRESS',
      percent: 10,
      note: '第一行\r\n第二行',
    });
    expect(ok.userErrors).toEqual([]);
    const [row] = await app.em().execute(`select note from change_log order by id desc`);
    expect(row!.note).toBe('第一行\n第二行');
    await refused(SET_ITEM_STATUS, { itemId: item, status: 'PAUSED', note: 'a\u0007' }, ['note']);
    await refused(
      SET_ITEM_STATUSES,
      { updates: [{ itemId: item, status: 'PAUSED', note: 'x\ud800' }] },
      ['updates', '0', 'note'],
    );
    await refused(CREATE_ITEMS, { workstreamId: leaf, items: [{ name: 'n', note: 'a\rb' }] }, [
      'items',
      '0',
      'note',
    ]);
  });

  it('refuses an idempotency key that would be stored as another one', async () => {
    await refused(SET_ITEM_STATUS, { itemId: item, status: 'PAUSED', idempotencyKey: 'k\ud800' }, [
      'idempotencyKey',
    ]);
  });

  it('escapes names already stored (before the rule) in weeklyReport', async () => {
    const forged = await one(CREATE_WORKSTREAM, { initiativeId: ini, name: 'placeholder' });
    const [, id] = Buffer.from(forged.workstream.id, 'base64url').toString().split(':');
    await app
      .em()
      .execute(`update workstream set name = ? where id = ?`, [
        'X\n## 伪造标题\n1.【伪造】，进度：完成。[a](b) <b>',
        Number(id),
      ]);
    // Written behind the server's back, as an old database would hold it: tell kept trees (on
    // PostgreSQL they are kept until the initiative's revision moves).
    await app
      .em()
      .execute(
        `update initiative_revision set revision = revision + 1 where initiative_id = (select initiative_id from workstream where id = ?)`,
        [Number(id)],
      );
    // Today's report: a dated one shows the figures as of that day, before this workstream.
    const res = await app.post(`{ weeklyReport }`);
    const md = res.body.data.weeklyReport as string;
    const lines = md.split('\n');
    const headings = lines.filter((l) => l.startsWith('#'));
    expect(headings[0]).toMatch(/^# 第\d+周 \d{4}\/\d{2}\/\d{2}$/);
    expect(headings.slice(1)).toEqual(['# 上周进展', '## 【O9】', '### A. 文字']);
    expect(md).toContain('X ## 伪造标题 1.【伪造】，进度：完成。\\[a\\](b) \\<b\\>');
    expect(lines.some((l) => /^\s*1\.【伪造】/.test(l))).toBe(false);
  });
});
