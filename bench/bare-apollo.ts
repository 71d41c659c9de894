import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * The S1 baseline: a bare Apollo Server 5 with a one-field schema and Apollo's own standalone
 * HTTP server, every option at its default.
 */
const server = new ApolloServer({
  typeDefs: 'type Query { hello: String }',
  resolvers: { Query: { hello: () => 'world' } },
});
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' },
});
process.stdout.write(`bare Apollo at ${url}\n`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
