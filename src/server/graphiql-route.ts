import type { IncomingMessage, ServerResponse } from 'node:http';
import { CacheableFile, sendCacheable } from './cacheable-file.js';
import { refuseUnlessRead, sendJsonError } from './http-json.js';

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
 * The page holds that bundle inline (about 9 MB, so it works offline). It goes out compressed
 * (about 1.9 MB in brotli, 2.4 MB in gzip) and with an ETag: a browser opening it again gets a
 * 304 instead of the page.
 */
export function graphiqlPage(): () => Promise<CacheableFile> {
  let page: Promise<CacheableFile> | undefined;
  return () =>
    (page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => {
      const body = Buffer.from(
        renderGraphiQL({ endpoint: '/graphql', title: 'Jindu 进度', defaultQuery: GRAPHIQL_QUERY }),
      );
      return new CacheableFile(body, true);
    }));
}

/** /graphiql: the page when it is on (JINDU_GRAPHIQL), by GET or HEAD. */
export async function sendGraphiql(
  req: IncomingMessage,
  res: ServerResponse,
  enabled: boolean,
  page: () => Promise<CacheableFile>,
): Promise<void> {
  if (!enabled) return sendJsonError(res, 404, 'NOT_FOUND', 'GraphiQL 未开启（JINDU_GRAPHIQL）');
  if (refuseUnlessRead(req, res)) return;
  const file = await page();
  // As the dashboard's page: never framed by another site (a user's typed headers), no
  // sniffing, no referrer. Its scripts are inline, so the policy names frames alone.
  await sendCacheable(
    req,
    res,
    {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': "frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    file,
  );
}
