import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { finish } from '../../bench/alone-cli.js';
import { startServer, type ServerProcess } from '../../bench/server-process.js';

/** A server the bench has nothing left to stop. */
const stopped = (): ServerProcess => ({
  url: 'http://127.0.0.1:1',
  pid: 0,
  cpuNs: () => 0,
  mainThreadWaitNs: () => 0,
  peakRssBytes: () => 0,
  resetPeakRss: () => {},
  pause: () => {},
  resume: () => {},
  stop: async () => {},
});

describe('a bench run’s scratch folder', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'jindu-bench-test-'));
    writeFileSync(join(dir, 'server.log'), 'its last words\n');
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is removed after a run that finished, unless kept', async () => {
    const done = scratch();
    await finish([stopped()], done, false, false);
    expect(existsSync(done)).toBe(false);
    const kept = scratch();
    await finish([stopped()], kept, true, false);
    expect(existsSync(join(kept, 'server.log'))).toBe(true);
  });

  it('is kept, server logs and all, after a run that failed', async () => {
    const failed = scratch();
    await finish([stopped()], failed, false, true);
    expect(existsSync(join(failed, 'server.log'))).toBe(true);
  });

  it('names the server that is gone, and its log, instead of a missing /proc entry', async () => {
    const dir = scratch();
    const logFile = join(dir, 'tiny.log');
    const server = await startServer({
      name: 'a tiny server',
      args: [
        '-e',
        "require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, process.env.HOST)",
      ],
      env: process.env,
      core: 0,
      logFile,
    });
    expect(server.cpuNs()).toBeGreaterThan(0);
    process.kill(server.pid, 'SIGKILL');
    await expect.poll(() => existsSync(`/proc/${server.pid}`)).toBe(false);
    expect(() => server.cpuNs()).toThrow(`a tiny server is no longer running; see ${logFile}`);
    await server.stop();
  });
});
