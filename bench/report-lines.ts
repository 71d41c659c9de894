import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { serverOptions } from '../src/config.js';
import { openOrm, type Em } from '../src/db/orm.js';
import { createApp } from '../src/server/app.js';
import { createInitiative } from '../src/services/create-initiative.js';
import { createItems } from '../src/services/create-items.js';
import { createWorkstream } from '../src/services/create-workstream.js';
import { ITEM_STATUSES } from '../src/domain/item-status.js';

/**
 * `npm run bench:report-lines`: report lines of a 1,000-workstream initiative (10 groups of 99
 * categories plus the groups, 10 items each), served over HTTP by the real server, on SQLite.
 * Prints the time per request (median, p95) over 50 requests after 5 warm-ups; checks each body.
 */
const dir = mkdtempSync(join(tmpdir(), 'jindu-bench-'));
const orm = await openOrm({ databaseUrl: `sqlite:${join(dir, 'bench.sqlite')}` });
await orm.schema.refresh();
const em = orm.em.fork() as Em;
const initiative = await createInitiative({
  em,
  key: 'bench',
  name: '基准',
  reportLowPercentBucket: 20,
});
let workstreams = 0;
let itemCount = 0;
for (let g = 0; g < 10; g++) {
  const group = await createWorkstream({ em, initiativeId: initiative.id, name: `迁移组-${g}` });
  workstreams++;
  for (let c = 0; c < 99; c++) {
    const leaf = await createWorkstream({
      em,
      initiativeId: initiative.id,
      parentId: group.id,
      name: `类别-${g}-${c}`,
      phase: '测试验证投产中',
      reportDetail: c % 10 === 0 ? 'BY_NAME' : 'BY_PERCENT',
    });
    workstreams++;
    const items = Array.from({ length: 10 }, (_, i) => ({
      name: `报表-${g}-${c}-${i}`,
      status: ITEM_STATUSES[(i + c) % 6]!,
      percent: (i * 13 + c) % 101,
    }));
    await createItems({ em, workstreamId: leaf.id, items, actor: 'bench' });
    itemCount += items.length;
  }
}
const app = await createApp(
  orm,
  pino({ level: 'silent' }),
  serverOptions({ rateLimitPerMinute: 0 }),
);
const url = await app.listen(0, '127.0.0.1');
const query = JSON.stringify({ query: '{ initiative(key: "bench") { reportLines } }' });
const times: number[] = [];
for (let i = 0; i < 55; i++) {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: query,
  });
  const body = await res.json();
  const elapsed = performance.now() - started;
  if (body.data?.initiative?.reportLines?.length !== 1 + 990)
    throw new Error(`unexpected body: ${JSON.stringify(body).slice(0, 200)}`);
  if (i >= 5) times.push(elapsed);
}
times.sort((a, b) => a - b);
const at = (q: number) =>
  times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
console.log(
  `report lines, ${workstreams} workstreams, ${itemCount} items: median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (50 requests over HTTP, bodies checked)`,
);
await app.close();
await orm.close();
rmSync(dir, { recursive: true, force: true });
