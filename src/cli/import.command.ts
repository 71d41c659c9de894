import { statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../config.js';
import { DomainError, DomainErrors } from '../domain/errors.js';
import { openExistingDatabase } from '../db/open-database.js';
import { KeptStatementsConnection } from '../db/sqlite-driver.js';
import type { Em } from '../db/em.js';
import { createLogger } from '../server/logger.js';
import { importSheet } from '../services/import-sheet.js';
import { ALL_INITIATIVES } from '../services/write-scope.js';
import { MAX_SHEET_BYTES, SheetError } from '../sheets/sheet-error.js';
import { ignoredColumnsLine, planLines, summaryLine } from './import-output.js';
import { terminalSafe } from './terminal-text.js';
import { readInput } from './cli-files.js';
import { exitCodeForRefusal } from './usage-errors.js';
import { unknownKeyHint } from './known-keys.js';

export interface ImportOptions {
  readonly initiative: string;
  readonly dryRun?: boolean;
  readonly skipErrors?: boolean;
  readonly prune?: boolean;
}

/** Thrown between the import's steps once Ctrl-C was heard: the transaction rolls back. */
class ImportInterrupted extends Error {}

/**
 * `jindu import FILE --initiative KEY`: exit 0 applied (or a clean dry run), 1 refused or failed,
 * 2 no such file, 3 the database stayed locked by another process (main.ts), 4 no such
 * initiative, 130 interrupted.
 */
export async function importCommand(file: string, opts: ImportOptions): Promise<number> {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) {
    console.error(terminalSafe(`jindu import: no such file: ${file}`));
    return 2;
  }
  if (!stat.isFile()) {
    console.error(
      terminalSafe(`jindu import: ${file} is not a file; name an .xlsx, .csv or .txt file`),
    );
    return 2;
  }
  const size = stat.size;
  if (size > MAX_SHEET_BYTES) {
    // Refused by its size, before reading it into memory.
    console.error(
      `jindu import: 文件太大：${(size / 1048576).toFixed(1)} MB，上限 ${MAX_SHEET_BYTES / 1048576} MB`,
    );
    return 1;
  }
  const bytes = readInput(file);
  const config = loadConfig();
  const orm = await openExistingDatabase(config, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  // Beside a running server the import waits for the write lock before it reads, rather than
  // failing at its first write because the server committed while it planned.
  const connection = orm.em.getConnection();
  if (connection instanceof KeptStatementsConnection) connection.beginImmediately = true;
  const bar =
    process.stderr.isTTY && !opts.dryRun
      ? new SingleBar({ stream: process.stderr, hideCursor: true })
      : null;
  // Ctrl-C mid-import. The write is one transaction of synchronous SQLite calls, so the signal is
  // only heard where the import lets the event loop turn: between its steps (apply-import.ts).
  // There it rolls the whole import back. The bar hid the cursor and turned off line
  // wrap, and only its stop() gives them back.
  let interrupted = false;
  let started = false; // the write's first step has run
  const onInterrupt = () => {
    // A second Ctrl-C (a step stuck on a lock, a stalled connection) stops at once: the
    // database drops a transaction that never committed.
    if (interrupted || !started) stopNow();
    interrupted = true;
  };
  const stopNow = () => {
    bar?.stop();
    console.error('jindu import: interrupted; an import is written whole or not at all');
    process.exit(130);
  };
  const progress = async (done: number, total: number) => {
    started = true;
    if (done === 0) {
      // Without a terminal there is no bar: a line says the write began (a log shows it).
      if (bar) bar.start(total, 0);
      else if (total > 0)
        console.error(`jindu import: writing ${total} changes (Ctrl-C rolls them all back)`);
    } else bar?.update(done);
    if (interrupted) throw new ImportInterrupted();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result = await importSheet({
      em: orm.em.fork() as Em,
      initiativeKey: opts.initiative,
      fileName: file,
      by: null, // the operator
      bytes,
      dryRun: Boolean(opts.dryRun),
      skipErrors: Boolean(opts.skipErrors),
      prune: Boolean(opts.prune),
      scope: ALL_INITIATIVES,
      onProgress: progress,
    });
    bar?.stop();
    // Heard only after the last step: the import was written whole.
    if (interrupted) {
      console.error('jindu import: interrupted after the import was written; it is written whole');
      return 130;
    }
    const out = opts.dryRun ? process.stdout : process.stderr;
    const lines = planLines(result.plan, { all: Boolean(opts.dryRun) });
    if (lines.length > 0) out.write(terminalSafe(`${lines.join('\n')}\n`));
    if (result.sheet.ignored.length > 0)
      console.error(terminalSafe(ignoredColumnsLine(result.sheet.ignored)));
    console.log(terminalSafe(summaryLine(result)));
    return result.refused === null ? 0 : 1;
  } catch (err) {
    bar?.stop();
    if (err instanceof ImportInterrupted) {
      console.error(
        'jindu import: interrupted; the import was rolled back, nothing of it is written',
      );
      return 130;
    }
    if (err instanceof SheetError || err instanceof DomainError || err instanceof DomainErrors) {
      const hint = await unknownKeyHint(err, orm.em.fork() as Em);
      console.error(terminalSafe(`jindu import: ${err.message}${hint}`));
      return err instanceof DomainError ? exitCodeForRefusal(err) : 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onInterrupt);
    await orm.close();
  }
}
