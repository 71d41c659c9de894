import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../../src/server/async-context.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const JINDU = fileURLToPath(new URL('../../bin/jindu.js', import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly logs: string[];
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Servers started by this test file and still running. */
const running = new Set<ChildProcess>();

/** Kills every server a test file left running (the setup file calls it after each file). */
export async function killLeftServers(): Promise<number> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  return left.length;
}

/**
 * Starts `jindu serve` as a child process on a free port; resolves once it logs its URL. A
 * server that does not start in time is killed, and any server a test left running dies with
 * its test file (test/helpers/setup.ts): one left behind once ran for hours, taking CPU from
 * every later test.
 */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...NODE_FLAGS, JINDU, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${logs.join('')}`));
    }, 30_000);
    // The line with the URL may arrive in two chunks: look in everything read so far.
    let stdout = '';
    const onData = (chunk: Buffer) => {
      logs.push(chunk.toString());
      stdout += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => logs.push(c.toString()));
        resolve({
          url: match[1]!,
          child,
          logs,
          stop: async (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join('')}`));
    });
  });
}

/** Runs a `jindu` CLI command to completion. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  /** Called with the stderr so far as it grows (to signal the process at a given moment). */
  onStderr?: (stderr: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...NODE_FLAGS, JINDU, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    onStderr?.(stderr, child);
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** `jindu token create` on the command line: the secret, its last line of stdout. */
export async function createToken(
  env: Record<string, string>,
  name: string,
  role: 'viewer' | 'editor' | 'admin',
): Promise<string> {
  const made = await runCli(['token', 'create', '--name', name, '--role', role], env);
  if (made.code !== 0) throw new Error(`token create ${name} failed: ${made.stderr}`);
  return made.stdout.trim().split('\n').at(-1)!;
}
