/**
 * `jindu --help | head -3` or `jindu report --all | head` closes the pipe before the command has
 * written everything. Node then raises EPIPE on stdout, which without a listener crashes the
 * command with a stack trace. Like other command-line tools, drop the rest of the output
 * instead, and let the command finish with its own exit code (an import piped to `head` still
 * commits, or fails, as it would have).
 */
export function dropOutputOnceReaderLeaves(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}
