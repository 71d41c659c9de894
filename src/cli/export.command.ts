import { loadConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { openExistingDatabase } from '../db/open-database.js';
import type { Em } from '../db/em.js';
import { createLogger } from '../server/logger.js';
import { exportSheet } from '../services/export-sheet.js';
import { terminalSafe } from './terminal-text.js';
import { exitCodeForRefusal } from './usage-errors.js';
import { writeOutput } from './cli-files.js';
import { endOfReportDay } from '../domain/report-day.js';

export interface ExportOptions {
  readonly format: 'xlsx' | 'csv';
  readonly out: string;
  readonly encoding: 'utf-8' | 'gb18030';
  readonly asOf?: string;
}

/** `jindu export KEY --format xlsx|csv [--as-of YYYY-MM-DD] --out FILE`. */
export async function exportCommand(key: string, opts: ExportOptions): Promise<number> {
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
      at: opts.asOf === undefined ? null : { asOf: endOfReportDay(opts.asOf), knownAt: Date.now() },
    });
    writeOutput(opts.out, bytes);
    return 0;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    console.error(terminalSafe(`jindu export: ${err.message}`));
    return exitCodeForRefusal(err);
  } finally {
    await orm.close();
  }
}
