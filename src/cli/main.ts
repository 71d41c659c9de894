import 'reflect-metadata';
import { Command, Option } from 'commander';
import { ConfigError } from '../config.js';

const ENV_HELP = `
Environment (serve, migrate, seed, verify):
  HOST, PORT            where to listen (default 127.0.0.1:4000)
  DATABASE_URL          sqlite:PATH (default sqlite:./data/jindu.sqlite) or postgres://user@host:5432/db
  JINDU_SEED            week-20 (default: load the week-20 report into an empty database) or none
  JINDU_SQLITE_SYNCHRONOUS  FULL (default) or NORMAL
  LOG_LEVEL             info (default), debug, warn, error, silent`;

const program = new Command('jindu')
  .description('Jindu (进度): progress of migrations and engineering initiatives, over GraphQL')
  .addHelpText('after', ENV_HELP)
  .showHelpAfterError();

/** Commands load their modules lazily: `jindu report` needs no database code. */
const exitWith = (run: () => Promise<number>) => async () => {
  process.exitCode = await run();
};

program
  .command('serve', { isDefault: true })
  .description('start the GraphQL server (seeds an empty database)')
  .action(async () => (await import('./serve.command.js')).serveCommand());
program
  .command('migrate')
  .description('create or update the database schema (never drops)')
  .action(exitWith(async () => (await import('./database.commands.js')).migrateCommand()));
program
  .command('seed')
  .description('load the week-20 report into an empty database')
  .option('--reset', 'drop all data first (needs --yes)')
  .option('--yes', 'confirm --reset')
  .action((opts) =>
    exitWith(async () => (await import('./database.commands.js')).seedCommand(opts))(),
  );
program
  .command('verify')
  .description('recompute every counter and figure from the items; exit 1 on any difference')
  .option('--json', 'print the report as JSON')
  .option('--replay', 'also rebuild every counter, item, workstream and figure from the change log')
  .action((opts) =>
    exitWith(async () => {
      const commands = await import('./database.commands.js');
      const counters = await commands.verifyCommand(opts);
      return opts.replay ? Math.max(counters, await commands.verifyReplayCommand(opts)) : counters;
    })(),
  );
program
  .command('snapshot')
  .description(
    'snapshot per-workstream tallies so as-of reads stay cheap (the server also does weekly)',
  )
  .option('--initiative <key>', 'only this initiative')
  .option('--at <time>', 'as of this past ISO time (default now)')
  .action((opts) =>
    exitWith(async () => (await import('./database.commands.js')).snapshotCommand(opts))(),
  );
program
  .command('report')
  .argument('[initiativeKey]', 'the initiative to report, e.g. hive')
  .description(
    'print weekly report lines from a running server (exit 1 server error, 2 usage, 3 unreachable, 4 unknown key)',
  )
  .option('--all', 'every initiative, as the weekly report document')
  .option('--url <url>', 'GraphQL endpoint', 'http://127.0.0.1:4000/graphql')
  .addOption(
    new Option('--format <format>', 'output format')
      .choices(['text', 'markdown', 'json'])
      .default('text'),
  )
  .addOption(new Option('--lang <lang>', 'language').choices(['zh-CN', 'en']).default('zh-CN'))
  .option(
    '--date <YYYY-MM-DD>',
    'report the figures as of the end of that day (+08:00), and date the --all title (第N周); default today, live',
  )
  .option('--known-at <time>', 'as the report read at this ISO time (reproduces a published one)')
  .option('--out <file>', 'write to a file instead of stdout')
  .option('--token <token>', 'API token, sent as Authorization: Bearer')
  .action((key, opts) =>
    exitWith(async () => (await import('./report.command.js')).reportCommand(key, opts))(),
  );

const token = program
  .command('token')
  .description('API tokens: create, list, revoke (stored as SHA-256 digests)');
token
  .command('create')
  .description('create a token; its secret is printed once, as the last line of stdout')
  .requiredOption('--name <name>', 'a unique name; it appears in the change log as the actor')
  .addOption(
    new Option('--role <role>', 'what it may do')
      .choices(['viewer', 'editor', 'admin'])
      .makeOptionMandatory(),
  )
  .option('--initiative <key>', 'limit it to one initiative')
  .option('--expires <duration>', 'lifetime such as 90d, 12h, 30m, 2w (default: never)')
  .action((opts) =>
    exitWith(async () => (await import('./token.commands.js')).tokenCreateCommand(opts))(),
  );
token
  .command('list')
  .description('list tokens (never their secrets)')
  .action(exitWith(async () => (await import('./token.commands.js')).tokenListCommand()));
token
  .command('revoke')
  .argument('<name>', 'the token to revoke')
  .description('revoke a token; every server refuses it from its next request')
  .action((name) =>
    exitWith(async () => (await import('./token.commands.js')).tokenRevokeCommand(name))(),
  );

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`jindu: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
