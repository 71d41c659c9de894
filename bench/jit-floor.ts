import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { buildSchema, parse } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * The S3 baseline, the executor's floor: a bare graphql-jit schema with the dashboard's types
 * (same names, nullability and enum), answering over the same trees held in plain objects, on
 * plain node:http. The trees are Jindu's own first answers (files named in JINDU_FLOOR_ANSWERS as
 * `key=path`), so every field is a plain property read and the floor's answer must equal
 * Jindu's byte for byte (the bench checks it does). Each query text is compiled once. Answers
 * are written with JSON.stringify, as Jindu writes them: graphql-jit's generated serializer
 * (`customJSONSerializer`) is the slower of the two on these answers (src/server/executor.ts),
 * and a floor must be the fastest way to answer.
 */
const schema = buildSchema(`
  type Query { initiative(key: String!): Initiative }
  type Initiative { workstreams: [Workstream!]! }
  type Workstream { id: ID! name: String! progress: Progress! children: [Workstream!]! }
  type Progress { percent: Float total: Int! byStatus(locale: Locale! = ZH_CN): [StatusCount!]! }
  type StatusCount { status: ItemStatus! count: Int! }
  enum Locale { ZH_CN EN }
  enum ItemStatus { CANCELLED DECOMMISSIONABLE DONE IN_PROGRESS NOT_STARTED PAUSED }
`);

const initiatives = new Map<string, unknown>();
for (const entry of (process.env.JINDU_FLOOR_ANSWERS ?? '').split(',').filter(Boolean)) {
  const [key, path] = entry.split('=');
  const answer = JSON.parse(readFileSync(path!, 'utf8')) as { data: { initiative: unknown } };
  initiatives.set(key!, answer.data.initiative);
}
// The one resolver; every other field is a property of the plain objects.
schema.getQueryType()!.getFields().initiative!.resolve = (_root, args: { key?: string }) =>
  initiatives.get(args.key ?? '') ?? null;

const compiled = new Map<string, CompiledQuery>();
function compiledFor(query: string): CompiledQuery {
  let plan = compiled.get(query);
  if (!plan) {
    const result = compileQuery(schema, parse(query));
    if (!isCompiledQuery(result)) throw new Error(JSON.stringify(result));
    compiled.set(query, (plan = result));
  }
  return plan;
}

const server = createServer((req, res) => {
  if (req.url === '/livez') return void res.end('{"status":"ok"}');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const plan = compiledFor(body.query);
    const result = plan.query(undefined, {}, body.variables ?? {}) as object;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(result));
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
