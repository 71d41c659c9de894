import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { findInitiativeByKey } from '../../src/db/queries/initiative.queries.js';
import { applyImportPlan } from '../../src/services/apply-import.js';
import { loadSheetState } from '../../src/services/load-sheet-state.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { itemIdOfRef } from '../../src/sheets/item-ref.js';
import { planImport } from '../../src/sheets/plan-import.js';
import { readSheet } from '../../src/sheets/read-sheet.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  DELETE_WORKSTREAM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** An import is checked outside the lock and written under it: a change in between refuses it. */
describe.each(DIALECTS)(
  'an initiative changed between checking and writing an import (%s)',
  (dialect) => {
    let app: TestApp;
    const ok = async (query: string, input: Record<string, unknown>) => {
      const payload: any = Object.values(await app.ok(query, { input }))[0];
      expect(payload.userErrors).toEqual([]);
      return payload;
    };
    const logCount = async () =>
      Number((await app.em().execute('select count(*) as n from change_log'))[0]!.n);
    /** Plans `csv` against the initiative now, runs `meanwhile`, then applies: the error thrown. */
    const race = async (key: string, csv: string, meanwhile: () => Promise<unknown>) => {
      const initiative = (await findInitiativeByKey(app.em(), key))!;
      const sheet = readSheet(new TextEncoder().encode(csv), 'a.csv');
      const state = await loadSheetState(app.em(), initiative);
      const plan = planImport(sheet, state, { prune: true, itemIdOf: itemIdOfRef });
      await meanwhile();
      const before = await logCount();
      const err = await applyImportPlan({
        em: app.em(),
        initiativeId: initiative.id,
        plan,
        actor: 'import:a.csv',
        scope: ALL_INITIATIVES,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      // All or nothing.
      if (err) expect(await logCount()).toBe(before);
      else expect(await logCount()).toBeGreaterThan(before);
      return err;
    };
    const expectStale = (err: unknown) => {
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({
        code: 'STALE_VERSION',
        message: '项目在检查后已被修改，请重新导入',
      });
    };

    beforeAll(async () => {
      app = await createTestApp(dialect);
    });
    afterAll(() => app?.close());

    it('refuses with STALE_VERSION when a workstream it writes into was deleted', async () => {
      const ini = (await ok(CREATE_INITIATIVE, { key: 'rc', name: 'rc' })).initiative.id;
      const ws = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: '叶' })).workstream.id;
      expectStale(
        await race('rc', '工作流,事项\n叶,一\n', () => ok(DELETE_WORKSTREAM, { id: ws })),
      );
    });

    it('refuses with STALE_VERSION when an item it prunes was deleted meanwhile', async () => {
      const ini = (await ok(CREATE_INITIATIVE, { key: 'rp', name: 'rp' })).initiative.id;
      const ws = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: '叶' })).workstream.id;
      const [item] = (await ok(CREATE_ITEMS, { workstreamId: ws, items: [{ name: '旧' }] })).items;
      expectStale(await race('rp', '工作流,事项\n叶,新\n', () => ok(DELETE_ITEM, { id: item.id })));
    });

    it('refuses with STALE_VERSION when an item it creates was made meanwhile (the same file twice)', async () => {
      const ini = (await ok(CREATE_INITIATIVE, { key: 'rd', name: 'rd' })).initiative.id;
      const ws = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: '叶' })).workstream.id;
      expectStale(
        await race('rd', '工作流,事项\n叶,新\n', () =>
          ok(CREATE_ITEMS, { workstreamId: ws, items: [{ name: '新' }] }),
        ),
      );
      const items = await app.em().execute('select count(*) as n from item where name = ?', ['新']);
      expect(Number(items[0]!.n)).toBe(1);
    });

    it('refuses with STALE_VERSION when a workstream it moves an item to was renamed meanwhile', async () => {
      const ini = (await ok(CREATE_INITIATIVE, { key: 'rm', name: 'rm' })).initiative.id;
      const from = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: '甲' })).workstream.id;
      const to = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: '乙' })).workstream.id;
      const [item] = (await ok(CREATE_ITEMS, { workstreamId: from, items: [{ name: '一' }] }))
        .items;
      expectStale(
        await race('rm', `ID,工作流,事项\n${item.id},乙,一\n`, () =>
          ok(UPDATE_WORKSTREAM, { id: to, name: '丙' }),
        ),
      );
    });

    it('writes a plan nobody changed', async () => {
      await ok(CREATE_INITIATIVE, { key: 'rq', name: 'rq' });
      expect(await race('rq', '工作流,事项\n新/叶,一\n', async () => {})).toBeNull();
    });
  },
);
