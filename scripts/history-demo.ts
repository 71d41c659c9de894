/**
 * Generates a history (an initiative with ten weeks of back-dated writes, through the API, in
 * an in-memory SQLite database) and prints what `jindu history` and the other time fields give
 * for it. The demo data holds one week only; this is how to see the series without inventing
 * history there. Run: npx node --import @swc-node/register/esm-register scripts/history-demo.ts
 */
import 'reflect-metadata';
import { historyCsv, inReportZone } from '../src/cli/history.command.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { generateHistory, WEEK } from '../test/helpers/time-history.js';

const app = await createTestApp('sqlite');
try {
  const h = await generateHistory(app, 'demo', 10);
  const from = new Date(h.start).toISOString();
  const res = await app.ok(
    `query($from: DateTimeISO!, $since: DateTimeISO!) { initiative(key: "demo") {
      progressHistory(from: $from, every: WEEK) { at percent credit counted total byStatus { status count } }
      progressChange(since: $since) { percentPoints credit counted completed added removed reopened entries }
      forecast(historyWeeks: 8, seed: 1) { status p50 p85 p95 remaining throughputPerWeek scopeGrowthPerWeek explain }
      health { status reason targetDate }
      reportLines(compareTo: $since)
    } }`,
    { from, since: new Date(Date.now() - WEEK).toISOString() },
  );
  const i = res.initiative;
  console.log('# jindu history demo --from <10 weeks ago> --every week --format csv');
  process.stdout.write(historyCsv(inReportZone(i.progressHistory)));
  console.log('\n# progressChange(since: a week ago)');
  console.log(JSON.stringify(i.progressChange));
  console.log('\n# forecast(historyWeeks: 8) and health');
  console.log(JSON.stringify(i.forecast, null, 1));
  console.log(JSON.stringify(i.health));
  console.log('\n# reportLines(compareTo: a week ago)');
  console.log(i.reportLines.join('\n'));
} finally {
  await app.close();
}
