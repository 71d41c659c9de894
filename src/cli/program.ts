import { Command, Option } from 'commander';
import { formatFromOut } from './output-format.js';
import { strictHelpCommand } from './help-command.js';
import { ENV_HELP } from './env-help.js';
import { day, dayOrTime, httpUrl } from './option-values.js';
import { packageVersion } from './version.js';

/** The command line: its commands, options and help (a command's work loads when it runs). */
export const program = new Command('jindu')
  .description('Jindu (进度): progress of migrations and engineering initiatives, over GraphQL')
  .version(packageVersion(), '-V, --version', 'print the version')
  .addHelpText('after', ENV_HELP);

/** Commands load their modules lazily: `jindu report` needs no database code. */
const exitWith = (run: () => Promise<number>) => async () => {
  process.exitCode = await run();
};

program
  .command('serve')
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
    'snapshot per-workstream tallies so as-of reads stay cheap (the server also does so weekly)',
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
  .option(
    '--section',
    "with a key: the initiative's part of that document (its objective, letter, staged lines, metrics, milestones and updates)",
  )
  .option(
    '--url <url>',
    "GraphQL endpoint, or the server's address for its /graphql (default: JINDU_URL, else http://HOST:PORT/graphql)",
    httpUrl,
  )
  .addOption(
    new Option(
      '--format <format>',
      "output format (default: from --out's extension, .md, .json or .txt, else text)",
    ).choices(['text', 'markdown', 'json']),
  )
  .addOption(
    new Option('--lang <lang>', 'language of the report lines')
      .choices(['zh-CN', 'en'])
      .default('zh-CN'),
  )
  .option(
    '--date <YYYY-MM-DD>',
    'report the figures as of the end of that day (+08:00), and date the --all title (第N周, Week N); default today in China, live',
    day,
  )
  .option(
    '--known-at <time>',
    'as the report read at this ISO time, or at the end of this day (YYYY-MM-DD, +08:00) (reproduces a published one)',
    dayOrTime,
  )
  .option('--compare <when>', "add each figure's change since last-week or a date (YYYY-MM-DD)")
  .option(
    '--out <file>',
    'write to a file instead of stdout (the exact text, unfiltered; - for stdout)',
  )
  .option('--token <token>', 'API token, sent as Authorization: Bearer')
  .hook(
    'preAction',
    formatFromOut(
      { '.md': 'markdown', '.markdown': 'markdown', '.json': 'json', '.txt': 'text' },
      'text',
    ),
  )
  .action((key, opts) =>
    exitWith(async () => (await import('./report.command.js')).reportCommand(key, opts))(),
  );

program
  .command('history')
  .argument('<initiativeKey>', 'the initiative, e.g. hive')
  .description(
    'print the burn-up series (credit, counted, total, per status) from a running server',
  )
  .option(
    '--from <time>',
    'first point: YYYY-MM-DD (the end of that day, +08:00, as report --date) or an ISO time (default: 12 steps of --every before --to)',
    dayOrTime,
  )
  .option(
    '--to <time>',
    'last point: YYYY-MM-DD (its end) or an ISO time, not after now (default now)',
    dayOrTime,
  )
  .addOption(
    new Option('--every <step>', 'one point a day, week or month')
      .choices(['day', 'week', 'month'])
      .default('week'),
  )
  .addOption(
    new Option(
      '--format <format>',
      "csv or json (default: from --out's extension, else csv)",
    ).choices(['csv', 'json']),
  )
  .option(
    '--known-at <time>',
    'as the log was known at this ISO time, or at the end of this day (YYYY-MM-DD, +08:00)',
    dayOrTime,
  )
  .option(
    '--url <url>',
    "GraphQL endpoint, or the server's address for its /graphql (default: JINDU_URL, else http://HOST:PORT/graphql)",
    httpUrl,
  )
  .option('--token <token>', 'API token, sent as Authorization: Bearer')
  .option('--out <file>', 'write to a file instead of stdout (- for stdout)')
  .hook('preAction', formatFromOut({ '.csv': 'csv', '.json': 'json' }, 'csv'))
  .action((key, opts) =>
    exitWith(async () => (await import('./history.command.js')).historyCommand(key, opts))(),
  );

program
  .command('import')
  .argument(
    '<file>',
    'an .xlsx, .csv or .txt (CSV) file (UTF-8, UTF-8 with BOM, UTF-16 with BOM as Excel saves "Unicode text", or GBK/GB18030)',
  )
  .description('import items from a spreadsheet: all or nothing, re-running changes nothing')
  .requiredOption('--initiative <key>', 'the initiative to import into, e.g. hive')
  .option('--dry-run', "print every row's action and a summary; write nothing")
  .option('--skip-errors', 'apply the good rows even when some rows are wrong')
  .option('--prune', "delete the initiative's items the file does not list")
  .action((file, opts) =>
    exitWith(async () => (await import('./import.command.js')).importCommand(file, opts))(),
  );
program
  .command('export')
  .argument('<initiativeKey>', 'the initiative to export, e.g. hive')
  .description("export items (and, in .xlsx, every workstream's figures) to a spreadsheet")
  .addOption(
    new Option(
      '--format <format>',
      "file format (default: from --out's extension, else xlsx)",
    ).choices(['xlsx', 'csv']),
  )
  .addOption(
    new Option('--encoding <encoding>', 'CSV encoding')
      .choices(['utf-8', 'gb18030'])
      .default('utf-8'),
  )
  .option(
    '--as-of <YYYY-MM-DD>',
    'items and figures as they stood at the end of that day (+08:00)',
    day,
  )
  .requiredOption('--out <file>', 'where to write (- for standard output)')
  .hook('preAction', formatFromOut({ '.xlsx': 'xlsx', '.csv': 'csv' }, 'xlsx'))
  .hook('preAction', (command) => {
    const opts = command.opts<{ format: string; out: string }>();
    // A workbook is zipped XML with its own encoding: an asked-for CSV encoding would be dropped.
    if (opts.format === 'xlsx' && command.getOptionValueSource('encoding') === 'cli')
      command.error('--encoding applies to CSV; an .xlsx workbook is always Unicode', {
        exitCode: 2,
        code: 'jindu.encodingForXlsx',
      });
    if (opts.format === 'xlsx' && opts.out === '-' && process.stdout.isTTY)
      command.error('a workbook is binary: redirect standard output to a file, or name one', {
        exitCode: 2,
        code: 'jindu.binaryToTerminal',
      });
  })
  .action((key, opts) =>
    exitWith(async () => (await import('./export.command.js')).exportCommand(key, opts))(),
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
  .option('--json', 'print them as JSON')
  .action((opts) =>
    exitWith(async () => (await import('./token.commands.js')).tokenListCommand(opts))(),
  );
token
  .command('revoke')
  .argument('<name>', 'the token to revoke')
  .description('revoke a token; every server refuses it from its next request')
  .action((name) =>
    exitWith(async () => (await import('./token.commands.js')).tokenRevokeCommand(name))(),
  );

strictHelpCommand(token);
strictHelpCommand(program);
