import assert from 'node:assert';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRIALS, TRIALS_PER_SLICE } from '../../src/domain/forecast.js';
import { Deadline } from '../../src/graphql/deadline.js';
import { createTestApp, requestContext, type TestApp } from '../helpers/test-app.js';
import { generateHistory } from '../helpers/time-history.js';

/**
 * A query asking many forecasts of many trials checks its deadline between ranges of trials, not
 * only between fields: so other requests run while it simulates (a check yields every 20 ms),
 * and it stops at its time limit instead of after the last simulation.
 */
describe('forecasts check the request deadline between ranges of trials', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('sqlite', { executor: 'jit' });
    await generateHistory(app, 'slow', 10);
  });
  afterAll(() => app?.close());

  const query = (trials: number) =>
    `{ initiative(key: "slow") { forecast(trials: ${trials}) { status p95 } workstreams { forecast(trials: ${trials}) { status p95 } children { forecast(trials: ${trials}) { status p95 } } } } }`;

  /**
   * Runs `query` with a deadline whose passed checks are counted (a check that asks to wait a
   * turn is asked again after it, so only the one that lets the work go on counts, once per
   * check and once per range of trials); past `limit` of them it times out.
   */
  const run = async (trials: number, limit = Infinity) => {
    const deadline = new Deadline(Date.now() + 60_000, 60_000, new AbortController().signal);
    let checks = 0;
    const yieldIfDue = deadline.yieldIfDue.bind(deadline);
    deadline.yieldIfDue = () => {
      const wait = yieldIfDue();
      if (wait === undefined && ++checks > limit)
        throw new GraphQLError('过时', { extensions: { code: 'TIMEOUT' } });
      return wait;
    };
    const res = await app.apollo.executeOperation(
      { query: query(trials) },
      { contextValue: requestContext(app.em(), { deadline }) },
    );
    assert(res.body.kind === 'single');
    return { checks, status: res.http.status, body: res.body.singleResult as any };
  };

  it('checks before every range of trials, on every node that simulates', async () => {
    const one = await run(TRIALS_PER_SLICE);
    expect(one.body.errors).toBeUndefined();
    const nodes = [
      one.body.data.initiative.forecast,
      ...one.body.data.initiative.workstreams.flatMap((w: any) => [
        w.forecast,
        ...w.children.map((c: any) => c.forecast),
      ]),
    ];
    const simulated = nodes.filter((f) => f.status === 'OK').length;
    expect(simulated).toBeGreaterThanOrEqual(3);
    const most = await run(MAX_TRIALS);
    expect(most.body.errors).toBeUndefined();
    expect(most.checks - one.checks).toBe(simulated * (MAX_TRIALS / TRIALS_PER_SLICE - 1));
  });

  it('stops with TIMEOUT at a check between ranges, without partial data', async () => {
    // Every check a query of one range per node makes, then one more: only a range's can be it.
    const { checks } = await run(TRIALS_PER_SLICE);
    const cut = await run(MAX_TRIALS, checks);
    expect(cut.status).toBe(503);
    expect(cut.body).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'TIMEOUT' } }],
    });
  });
});
