import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LogDestination, type WriteSync } from '../../../src/server/log-destination.js';

/** A file that records what reached it; `refuse` makes the next writes throw or take part. */
function file() {
  const got: string[] = [];
  const plan: (string | number)[] = []; // an errno code to throw, or how many bytes to take
  const write: WriteSync = (_fd, buffer, offset, length) => {
    const next = plan.shift();
    if (typeof next === 'string') throw Object.assign(new Error(next), { code: next });
    const n = Math.min(length, next ?? length);
    got.push(buffer.subarray(offset, offset + n).toString());
    return n;
  };
  return { got, plan, write, text: () => got.join('') };
}

describe('LogDestination', () => {
  const made: LogDestination[] = [];
  const destination = (f: ReturnType<typeof file>, complaints: string[] = []) => {
    const d = new LogDestination(9, {
      batchChars: 60,
      flushMs: 60_000,
      write: f.write,
      complain: (t) => complaints.push(t),
    });
    made.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of made.splice(0)) d.end();
  });

  it('writes lines in batches, in order, and at once for a warning or worse', () => {
    const f = file();
    const log = pino({ level: 'info', base: null, timestamp: false }, destination(f));
    log.info('a');
    log.info('b');
    expect(f.got).toEqual([]); // under 60 characters: pending
    log.info('c');
    expect(f.got).toHaveLength(1); // one write of the three
    expect(
      f
        .text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).msg),
    ).toEqual(['a', 'b', 'c']);
    log.info('d');
    log.warn('e'); // the warning and what was before it, now
    expect(f.got).toHaveLength(2);
    expect(f.got[1]).toBe('{"level":30,"msg":"d"}\n{"level":40,"msg":"e"}\n');
  });

  it('calls pino’s flush callback once every pending line is written, a full pipe waited out', async () => {
    const f = file();
    const log = pino({ level: 'info', base: null, timestamp: false }, destination(f));
    log.info('a');
    f.plan.push('EAGAIN', 'EAGAIN'); // the reader lags for two tries
    await new Promise<void>((resolve) => log.flush(() => resolve()));
    expect(f.text()).toBe('{"level":30,"msg":"a"}\n');
  });

  it('keeps what a full pipe did not take, in order, and writes it before later lines', async () => {
    const f = file();
    const d = destination(f);
    f.plan.push(5, 'EAGAIN'); // five bytes, then the pipe is full
    d.write('0123456789\n');
    d.flush();
    expect(f.text()).toBe('01234');
    d.write('next\n');
    await new Promise((r) => setTimeout(r, 50)); // the retry
    expect(f.text()).toBe('0123456789\nnext\n');
  });

  it('drops lines a file refuses, says so once, and goes on', () => {
    const f = file();
    const complaints: string[] = [];
    const d = destination(f, complaints);
    f.plan.push('EPIPE', 'EPIPE');
    d.write('lost one\n');
    d.flush();
    d.write('lost two\n');
    expect(() => d.flush()).not.toThrow();
    expect(complaints).toEqual(['log lines dropped: fd 9: EPIPE\n']);
    d.write('kept\n');
    d.flush();
    expect(f.text()).toBe('kept\n');
    expect(complaints[1]).toMatch(/written to fd 9 again; some before this were dropped/);
  });

  it('holds at most maxPendingChars for a pipe that takes nothing', () => {
    const f = file();
    const complaints: string[] = [];
    const d = new LogDestination(9, {
      batchChars: 10,
      maxPendingChars: 100,
      flushMs: 60_000,
      write: f.write,
      complain: (t) => complaints.push(t),
    });
    made.push(d);
    f.plan.push(...Array(1000).fill('EAGAIN'));
    for (let i = 0; i < 100; i++) d.write(`line ${String(i).padStart(4, '0')}\n`);
    expect(complaints).toEqual(['log lines dropped: fd 9: a full pipe takes none\n']);
    f.plan.length = 0; // the reader catches up: the first 100 characters, in order
    d.flush();
    expect(f.text()).toBe([...Array(10).keys()].map((i) => `line 000${i}\n`).join(''));
  });

  it('writes what is pending when the process exits, with nothing lost', () => {
    // A real process: 500 info lines (under the batch and the interval), then exit at once.
    const script = `
      import { createLogger } from ${JSON.stringify(fileURLToPath(new URL('../../../src/server/logger.ts', import.meta.url)))};
      const log = createLogger('info');
      for (let i = 0; i < 500; i++) log.info({ i }, 'line');
      process.exit(0);`;
    const run = spawnSync(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status).toBe(0);
    const lines = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.i)).toEqual([...Array(500).keys()]);
  });
});
