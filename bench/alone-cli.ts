import { rmSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ServerProcess } from './server-process.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The options of a bench script that runs one part alone (`bench:s12`, `bench:writes`): its
 * own, and `--keep` and `-h/--help`, which print `help` and end the process (so does an
 * unknown option, with exit code 2).
 */
export function aloneOptions<T extends Options>(help: string, options: T) {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        ...options,
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      } as const,
    });
  } catch (err) {
    // An unknown option or a missing value: said in one line, with the help, not a stack.
    console.error(`${(err as Error).message}\n\n${help}`);
    process.exit(2);
  }
  const { values } = parsed;
  if ((values as { help?: boolean }).help) {
    console.log(help);
    process.exit(0);
  }
  return values;
}

/**
 * Stops the servers, then keeps or removes the scratch folder: kept with `--keep`, and kept
 * when the run failed, since its server logs are then what tells why (a server that exited
 * mid-run left only a vanished /proc entry in the error).
 */
export async function finish(
  servers: readonly ServerProcess[],
  dir: string,
  keep: boolean,
  failed: boolean,
): Promise<void> {
  for (const server of servers) await server.stop();
  if (failed) process.stderr.write(`the run failed; its databases and server logs are in ${dir}\n`);
  else if (keep) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
