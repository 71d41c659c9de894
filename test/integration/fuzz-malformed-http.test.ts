import { describe, expect, it } from 'vitest';
import { DIALECTS, type DialectName } from '../helpers/databases.js';
import { excerpt, problemsOf, show, signatureOf } from '../helpers/fuzz-checks.js';
import { malformedHttpCases } from '../helpers/fuzz-raw-http.js';
import { sendRaw } from '../helpers/fuzz-raw-socket.js';
import { CONCURRENCY, failureReport, fuzzedServer, pool, SEED } from '../helpers/fuzz-run.js';
import { rng } from '../helpers/random.js';

/**
 * Quality bar R2 (test/helpers/fuzz-run.ts) below GraphQL: bytes no client would send, written
 * straight to a socket (test/helpers/fuzz-raw-http.ts), each answered without a 5xx or a leak.
 */

const FILE = 'test/integration/fuzz-malformed-http.test.ts';
/** Random malformed requests on top of the ~200 fixed ones. */
const RANDOM_MALFORMED: Record<DialectName, number> = { sqlite: 100, postgresql: 30 };
/** FUZZ_VERBOSE=1 prints every malformed request's answer. */
const VERBOSE = process.env.FUZZ_VERBOSE === '1';

describe.each(DIALECTS)('hostile input over HTTP (R2, %s)', (dialect) => {
  const server = fuzzedServer(dialect);

  it(`answers malformed HTTP without a 5xx or a leak`, async () => {
    const started = Date.now();
    const port = Number(new URL(server.app.url).port);
    const cases = malformedHttpCases(rng(SEED ^ 0x5eed), RANDOM_MALFORMED[dialect], {
      adminToken: server.app.adminToken,
      itemId: server.idPool.items[0]!,
    });
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const groups = new Map<string, { count: number; request: string; answer: string }>();
    let parserRejections = 0;
    let unanswered = 0;
    await pool(cases, CONCURRENCY, async (c) => {
      server.known.addAll(c.payload.toString('utf8'));
      for (const part of c.payload.toString('latin1').split(/\r\n|[?&=]/)) {
        server.known.addAll(part);
        try {
          server.known.addAll(decodeURIComponent(part));
        } catch {
          // not URL-encoded
        }
      }
      const x = await sendRaw(port, c);
      if (VERBOSE)
        console.log(
          `${c.name} -> ${x.status ?? x.error} ${excerpt(x.text.replace(/\s+/g, ' '), 160)}`,
        );
      if (x.status === undefined) unanswered++;
      else if (x.text === '' && !x.headers['content-type']) parserRejections++;
      const problems = problemsOf(x, server.known);
      if (problems.length === 0) return;
      const signature = signatureOf(c.name, problems);
      const g = groups.get(signature);
      if (g) g.count++;
      else
        groups.set(signature, {
          count: 1,
          request: x.request,
          answer: `${x.status ?? '-'} ${show(x.headers)} ${x.text}`,
        });
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz ${dialect} seed=${SEED}: ${cases.length} malformed HTTP requests in ${seconds} s; ` +
        `${parserRejections} empty answers from Node's HTTP parser, ${unanswered} without an answer (allowed ones only)`,
    );
    expect(
      groups.size,
      failureReport(
        { app: server.app, dialect, file: FILE },
        'malformed HTTP requests',
        cases.length,
        groups,
      ),
    ).toBe(0);
  });
});
