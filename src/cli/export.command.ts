import { loadConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { openExistingDatabase } from '../db/open-database.js';
import type { Em } from '../db/em.js';
import { createLogger } from '../server/logger.js';
import { exportSheet } from '../services/export-sheet.js';
import { terminalSafe } from './terminal-text.js';
import { EXIT_CODE, exitCodeForRefusal } from './usage-errors.js';
import { writeOutput } from './cli-files.js';
import { unknownKeyHint } from './known-keys.js';
import { readTimeOfDay, reportDateOf } from '../domain/report-day.js';

export interface ExportOptions {
  readonly format: 'xlsx' | 'csv';
  readonly out: string;
  readonly encoding: 'utf-8' | 'gb18030';
  readonly asOf?: string;
}

/** `jindu export KEY --format xlsx|csv [--as-of YYYY-MM-DD] --out FILE`. */
export async function exportCommand(key: string, opts: ExportOptions): Promise<number> {
  // As report --date and history --to: a later day has no figures yet (before, the export was
  // today's data under that date). Today is read to now.
  const now = Date.now();
  if (opts.asOf !== undefined && opts.asOf > reportDateOf(now)) {
    console.error(
      `jindu export: --as-of ${opts.asOf} is after today (${reportDateOf(now)}, +08:00); nothing is known of it yet`,
    );
    return EXIT_CODE.USAGE;
  }
  const orm = await openExistingDatabase(
    loadConfig(),
    createLogger(process.env.LOG_LEVEL ?? 'warn'),
  );
  try {
    const { bytes } = await exportSheet({
      em: orm.em.fork() as Em,
      initiativeKey: key,
      format: opts.format,
      encoding: opts.encoding,
      canRead: () => true,
      at: opts.asOf === undefined ? null : { asOf: readTimeOfDay(opts.asOf, now), knownAt: now },
    });
    writeOutput(opts.out, bytes);
    return 0;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const hint = await unknownKeyHint(err, orm.em.fork() as Em);
    console.error(terminalSafe(`jindu export: ${err.message}${hint}`));
    return exitCodeForRefusal(err);
  } finally {
    await orm.close();
  }
}
