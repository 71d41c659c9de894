import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server-process.js';

/**
 * `npx jindu serve` runs the server under a shell of npm's that does not pass signals on: a
 * SIGTERM sent to npx, as a supervisor or a container runtime sends it, ended npx and left the
 * server running with its port and its database.
 */
describe('a server started by npx', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jindu-npx-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops cleanly when npx is sent SIGTERM', async () => {
    const npx = spawn('npx', ['--yes', 'jindu', 'serve'], {
      cwd: ROOT,
      detached: true, // its own process group, so only npx itself gets the signal
      env: {
        ...process.env,
        // The project's Node 22 first, as `npm` puts it for scripts.
        PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
        DATABASE_URL: `sqlite:${join(dir, 'j.sqlite')}`,
        JINDU_SEED: 'none',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    // The server writes to the same pipe as npx, and goes on writing to it once npx is gone.
    npx.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    npx.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const until = async (what: () => boolean, ms: number) => {
      for (const end = Date.now() + ms; !what();) {
        if (Date.now() > end) throw new Error(`timed out; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(() => /"url":"(http:\/\/[^"]+)\/graphql"/.test(out), 60_000);
      const url = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(out)![1]!;
      expect((await fetch(`${url}/livez`)).status).toBe(200);
      process.kill(npx.pid!, 'SIGTERM');
      await until(() => out.includes('"msg":"stopped"'), 10_000);
      await expect(fetch(`${url}/livez`)).rejects.toThrow();
    } finally {
      // Whatever is left of the group (the server, if it did not stop) goes.
      try {
        process.kill(-npx.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 90_000);
});
