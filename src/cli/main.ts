import 'reflect-metadata';
import { CommanderError } from 'commander';
import { ConfigError, DEFAULT_DATABASE_URL } from '../config.js';
import { dropOutputOnceReaderLeaves } from './closed-output.js';
import { program } from './program.js';
import { terminalSafe } from './terminal-text.js';
import { isSqliteBusy } from '../db/connection-errors.js';
import { namedSqliteFile, sqliteFileOf } from '../db/sqlite-file.js';
import { exitCodeFor, oneLineUsageErrors, SQLITE_BUSY_LINE } from './usage-errors.js';

oneLineUsageErrors(program);
dropOutputOnceReaderLeaves();

if (process.argv.length <= 2) {
  // As git does: a bare `jindu` prints the help on stdout and exits 1, it starts nothing.
  program.outputHelp();
  process.exitCode = 1;
} else {
  program.parseAsync().catch((thrown: unknown) => {
    // A write refused by a read-only file, wherever a command met it, names the file.
    const file = sqliteFileOf(process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL);
    const err = namedSqliteFile(thrown, file);
    if (err instanceof ConfigError) console.error(terminalSafe(err.message));
    else if (isSqliteBusy(err)) console.error(`jindu: ${SQLITE_BUSY_LINE}`);
    // Commander has written its own one line already (see usage-errors.ts).
    else if (!(err instanceof CommanderError))
      console.error(`jindu: ${terminalSafe(err instanceof Error ? err.message : String(err))}`);
    process.exitCode = exitCodeFor(err);
  });
}
