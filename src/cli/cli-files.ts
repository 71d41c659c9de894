import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { terminalSafe } from './terminal-text.js';
import { CliError } from './usage-errors.js';

/** What a failed read or write of a named file means to the user, by the system's error code. */
const WHY: Readonly<Record<string, string>> = {
  EISDIR: 'it is a directory; name a file in it',
  ENOTDIR: 'a part of the path is a file, not a directory',
  // mkdir -p meets a file where a directory of the path should be.
  EEXIST: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device; nothing usable was written',
  EDQUOT: 'the disk quota is used up; nothing usable was written',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * Writes a command's `--out`: `-` is standard output (as most tools read it), anything else a
 * file whose missing directories are created. A file system refusal becomes one line naming the
 * file and the reason (exit 1), not the system's `EISDIR: illegal operation on a directory`.
 * Text for a terminal goes through `terminalSafe`; bytes (a workbook) go as they are.
 */
export function writeOutput(out: string, data: string | Uint8Array): void {
  if (out === '-') {
    process.stdout.write(typeof data === 'string' ? terminalSafe(data) : data);
    return;
  }
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, data);
  } catch (err) {
    throw new CliError(`cannot write ${out}: ${why(err)}`);
  }
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  console.error(terminalSafe(`wrote ${out} (${size} bytes)`));
}

/** Reads a file the user named, or says in one line why it cannot be read (exit 1). */
export function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${why(err)}`);
  }
}

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return WHY[code] ?? (err instanceof Error ? err.message : String(err));
}
