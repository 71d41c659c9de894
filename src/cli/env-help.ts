/** The end of `jindu --help`: the environment each command reads, and the exit codes. */
export const ENV_HELP = `
Environment (serve, migrate, seed, verify, token, import, export):
  HOST, PORT            where to listen (default 127.0.0.1:4000)
  DATABASE_URL          sqlite:PATH (default sqlite:./data/jindu.sqlite) or postgres://user@host:5432/db
  JINDU_SEED            week-20 (default: load the week-20 report into an empty database) or none
  JINDU_SQLITE_SYNCHRONOUS  FULL (default) or NORMAL
  LOG_LEVEL             info (default), debug, warn, error, silent
Environment (report, history):
  JINDU_URL             the GraphQL endpoint or the server's address (default http://HOST:PORT/graphql from the above)

Exit codes: 0 ok, 1 failure (and help for a missing command), 2 usage error (also a value the server refuses);
3 server unreachable (report, history), 4 unknown initiative key (report, history,
import, export). --out - writes to stdout.`;
