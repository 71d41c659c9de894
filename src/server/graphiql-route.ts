import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuseUnlessRead, sendBody, sendJsonError } from './http-json.js';

const GRAPHIQL_QUERY = `# Hive数仓建设: the rollup of the week-20 report
query Hive {
  initiative(key: "hive") {
    name
    progress { percent total explain }
    workstreams {
      name
      progress { percent total }
      children { name phase progress { percent total byStatus { label count } } }
    }
  }
}
`;

/**
 * GraphiQL's page, made on the first visit only: its bundle is tens of megabytes once loaded.
 */
export function graphiqlPage(): () => Promise<string> {
  let page: Promise<string> | undefined;
  return () =>
    (page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) =>
      renderGraphiQL({ endpoint: '/graphql', title: 'Jindu 进度', defaultQuery: GRAPHIQL_QUERY }),
    ));
}

/** /graphiql: the page when it is on (JINDU_GRAPHIQL), by GET or HEAD. */
export async function sendGraphiql(
  req: IncomingMessage,
  res: ServerResponse,
  enabled: boolean,
  page: () => Promise<string>,
): Promise<void> {
  if (!enabled) return sendJsonError(res, 404, 'NOT_FOUND', 'GraphiQL 未开启（JINDU_GRAPHIQL）');
  if (refuseUnlessRead(req, res)) return;
  const html = await page();
  // As the dashboard's page: never framed by another site (a user's typed headers), no
  // sniffing, no referrer. Its scripts are inline, so the policy names frames alone.
  sendBody(
    res,
    200,
    {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    html,
  );
}
