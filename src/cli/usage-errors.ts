import { CommanderError, type Command } from 'commander';
import { isSqliteBusy } from '../db/connection-errors.js';
import { terminalSafe } from './terminal-text.js';

/**
 * The exit codes of every command. 3: what the command needs cannot be had now, try again: the
 * server (report and history, its clients), or a SQLite file another process kept locked.
 */
export const EXIT_CODE = { FAILURE: 1, USAGE: 2, UNREACHABLE: 3, UNKNOWN_KEY: 4 } as const;

/** What a command says when SQLite's busy timeout ran out waiting for another process's write. */
export const SQLITE_BUSY_LINE =
  '数据库正被另一个进程写入（服务器，或另一个导入），5 秒内没有等到，请稍后重试（导入是一次写入：它什么都没有写）';

interface Refusal {
  readonly code?: string;
  readonly field?: readonly string[];
}

/** A refusal of the domain that says an initiative key names none. */
export const isUnknownKey = (err: Refusal): boolean =>
  err.code === 'NOT_FOUND' && err.field?.[0] === 'initiative';

/** The exit code for a refusal of the domain: 4 for an initiative key that names none, else 1. */
export function exitCodeForRefusal(err: Refusal): number {
  return isUnknownKey(err) ? EXIT_CODE.UNKNOWN_KEY : EXIT_CODE.FAILURE;
}

/** An expected failure of a command: one line on stderr and an exit code, never a stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODE.FAILURE,
  ) {
    super(message);
  }
}

/**
 * Commander's error text as one line, as git and npm print usage errors: "error: unknown
 * command 'x'\n(Did you mean y?)" becomes "jindu: unknown command 'x' (did you mean y?); see
 * jindu --help". The words echo what the user typed, so they are made terminal-safe too.
 */
export function usageLine(commandPath: string, message: string): string {
  const text = terminalSafe(message)
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean/, ' (did you mean')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.$/, '');
  return `${commandPath}: ${text}; see ${commandPath} --help\n`;
}

/** Makes `command` and its subcommands report usage errors in one line and throw, not exit. */
export function oneLineUsageErrors(command: Command, parentPath = ''): void {
  const path = parentPath ? `${parentPath} ${command.name()}` : command.name();
  command.exitOverride();
  command.configureOutput({
    ...command.configureOutput(),
    outputError: (str, write) => write(usageLine(path, str)),
  });
  for (const sub of command.commands) oneLineUsageErrors(sub, path);
}

/** The exit code for an error out of `parseAsync`, after its message has been written. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help, --version and `jindu help` exit 0; help shown for a missing subcommand exits 1.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code === 'commander.help') return err.exitCode;
    return EXIT_CODE.USAGE;
  }
  if (err instanceof CliError) return err.exitCode;
  if (isSqliteBusy(err)) return EXIT_CODE.UNREACHABLE;
  return EXIT_CODE.FAILURE;
}
