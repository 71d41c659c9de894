import { extname } from 'node:path';
import type { Command } from 'commander';

/**
 * A `preAction` hook that settles a command's `--format`: the one asked for, else the one the
 * `--out` file's extension names, else the default. `--out items.csv` alone writes CSV, not a
 * spreadsheet under a .csv name; asking for one format while naming a file of another is a
 * usage error (exit 2), since either way the file would open as the wrong thing.
 */
export function formatFromOut(
  byExtension: Readonly<Record<string, string>>,
  fallback: string,
): (command: Command) => void {
  return (command) => {
    const opts = command.opts<{ format?: string; out?: string }>();
    const extension = opts.out === undefined ? '' : extname(opts.out).toLowerCase();
    const named = Object.hasOwn(byExtension, extension) ? byExtension[extension] : undefined;
    // A name whose extension says another format (`--out items.json` for a spreadsheet) would
    // get bytes it does not hold: asked, not guessed. A name without one takes the default.
    if (opts.format === undefined && extension !== '' && named === undefined)
      command.error(
        `cannot tell the format from --out ${opts.out}: name it ${Object.keys(byExtension).join(', ')}, or give --format`,
        { exitCode: 2, code: 'jindu.formatUnknown' },
      );
    if (opts.format === undefined) command.setOptionValue('format', named ?? fallback);
    else if (named !== undefined && named !== opts.format)
      command.error(
        `--format ${opts.format} does not match --out ${opts.out} (a ${extension} file is ${named}); leave out --format or change the file name`,
        { exitCode: 2, code: 'jindu.formatMismatch' },
      );
  };
}
