import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '../config.js';
import { migrateCommand, seedCommand, verifyCommand } from './database.commands.js';
import { serveCommand } from './serve.command.js';

const ENV_HELP = `
Environment:
  HOST, PORT            where to listen (default 127.0.0.1:4000)
  DATABASE_URL          sqlite:PATH (default sqlite:./data/jindu.sqlite) or postgres://user@host:5432/db
  JINDU_SEED            week-20 (default: load the week-20 report into an empty database) or none
  JINDU_SQLITE_SYNCHRONOUS  FULL (default) or NORMAL
  LOG_LEVEL             info (default), debug, warn, error, silent`;

const program = new Command('jindu')
  .description('Jindu (进度): progress of migrations and engineering initiatives, over GraphQL')
  .addHelpText('after', ENV_HELP)
  .showHelpAfterError();

const exitWith = (run: () => Promise<number>) => async () => {
  process.exitCode = await run();
};

program
  .command('serve', { isDefault: true })
  .description('start the GraphQL server (seeds an empty database)')
  .action(serveCommand);
program
  .command('migrate')
  .description('create or update the database schema (never drops)')
  .action(exitWith(migrateCommand));
program
  .command('seed')
  .description('load the week-20 report into an empty database')
  .option('--reset', 'drop all data first (needs --yes)')
  .option('--yes', 'confirm --reset')
  .action((opts) => exitWith(() => seedCommand(opts))());
program
  .command('verify')
  .description('recompute every counter and figure from the items; exit 1 on any difference')
  .option('--json', 'print the report as JSON')
  .action((opts) => exitWith(() => verifyCommand(opts))());

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`jindu: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
