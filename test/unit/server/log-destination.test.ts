import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, write as fsWrite } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { LogDestination, type WriteBytes } from '../../../src/server/log-destination.js';

const LOGGER = JSON.stringify(
  fileURLToPath(new URL('../../../src/server/logger.ts', import.meta.url)),
);
const tsNode = ['--import', '@swc-node/register/esm-register', '--input-type=module', '-e'];

/** A file that records what reached it; `plan` makes the next writes fail or take part. */
function file() {
  const got: string[] = [];
  const plan: (string | number)[] = []; // an errno code to fail with, or how many bytes to take
  let calls = 0;
  const write: WriteBytes = (_fd, buffer, offset, length, _position, done) => {
    calls++;
    const next = plan.shift();
    setImmediate(() => {
      if (typeof next === 'string') return done(Object.assign(new Error(next), { code: next }), 0);
      const n = Math.min(length, next ?? length);
      got.push(buffer.subarray(offset, offset + n).toString());
      done(null, n);
    });
  };
  return { got, plan, write, text: () => got.join(''), calls: () => calls };
}

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('LogDestination', () => {
  const made: LogDestination[] = [];
  const destination = (
    f: ReturnType<typeof file>,
    complaints: string[] = [],
    options: { maxPendingChars?: number; flushWaitMs?: number } = {},
  ) => {
    const d = new LogDestination(9, {
      batchChars: 60,
      flushMs: 60_000,
      write: f.write,
      complain: (t) => complaints.push(t),
      ...options,
    });
    made.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of made.splice(0)) d.end();
  });

  it('writes lines in batches, in order, and at once for a warning or worse', async () => {
    const f = file();
    const log = pino({ level: 'info', base: null, timestamp: false }, destination(f));
    log.info('a');
    log.info('b');
    await settle();
    expect(f.calls()).toBe(0); // under 60 characters: pending
    log.info('c');
    await settle();
    expect(f.got).toEqual([
      '{"level":30,"msg":"a"}\n{"level":30,"msg":"b"}\n{"level":30,"msg":"c"}\n',
    ]);
    log.info('d');
    log.warn('e'); // the warning and what was before it, now
    await settle();
    expect(f.got[1]).toBe('{"level":30,"msg":"d"}\n{"level":40,"msg":"e"}\n');
  });

  it('calls pino’s flush callback once every line is written, a full pipe waited out', async () => {
    const f = file();
    const log = pino({ level: 'info', base: null, timestamp: false }, destination(f));
    log.info('a');
    f.plan.push('EAGAIN', 0, 3); // full twice, then three bytes at a time
    await new Promise<void>((resolve) => log.flush(() => resolve()));
    expect(f.text()).toBe('{"level":30,"msg":"a"}\n');
  });

  it('calls the flush callback with an error when the file takes nothing in time', async () => {
    const f = file();
    const d = destination(f, [], { flushWaitMs: 100 });
    f.plan.push(...Array(1000).fill('EAGAIN'));
    d.write('stuck\n');
    const err = await new Promise<Error | undefined>((resolve) => d.flush(resolve));
    expect(err?.message).toMatch(/not yet written to fd 9/);
    f.plan.length = 0; // the reader comes back: the line goes out after all
    await settle(50);
    expect(f.text()).toBe('stuck\n');
  });

  it('keeps what a full pipe did not take, in order, ahead of later lines', async () => {
    const f = file();
    const d = destination(f);
    f.plan.push(5, 'EAGAIN', 'EAGAIN');
    d.write('0123456789\n');
    d.flush();
    await settle(5);
    d.write('next\n'); // behind the write still in flight
    await new Promise<void>((resolve) => d.flush(() => resolve()));
    expect(f.got).toEqual(['01234', '56789\n', 'next\n']);
  });

  it('drops lines a file refuses, says so once, and goes on', async () => {
    const f = file();
    const complaints: string[] = [];
    const d = destination(f, complaints);
    f.plan.push('EPIPE', 'EPIPE');
    d.write('lost one\n');
    d.flush();
    await settle();
    d.write('lost two\n');
    d.flush();
    await settle();
    expect(complaints).toEqual(['log lines dropped: fd 9: EPIPE\n']);
    d.write('kept\n');
    d.flush();
    await settle();
    expect(f.text()).toBe('kept\n');
    expect(complaints[1]).toMatch(/written to fd 9 again; some before were dropped/);
  });

  it('holds at most maxPendingChars behind a pipe that takes nothing', async () => {
    const f = file();
    const complaints: string[] = [];
    const d = destination(f, complaints, { maxPendingChars: 100 });
    f.plan.push(...Array(1000).fill('EAGAIN'));
    d.write('first\n');
    d.flush(); // in flight, held by the full pipe
    for (let i = 0; i < 100; i++) d.write(`line ${String(i).padStart(4, '0')}\n`);
    expect(complaints).toEqual([
      'log lines dropped: fd 9: the reader does not keep up (a full pipe)\n',
    ]);
    f.plan.length = 0; // the reader catches up: the first line, then 100 characters, in order
    await new Promise<void>((resolve) => d.flush(() => resolve()));
    expect(f.text()).toBe('first\n' + [...Array(10).keys()].map((i) => `line 000${i}\n`).join(''));
  });

  it('a fatal line with a write in flight goes after it, not ahead of it', async () => {
    const f = file();
    const log = pino({ level: 'info', base: null, timestamp: false }, destination(f));
    f.plan.push('EAGAIN'); // the first batch waits out a full pipe
    log.warn('first');
    log.fatal('second'); // pino calls flushSync() after a fatal line
    await settle(60);
    expect(f.text()).toBe('{"level":40,"msg":"first"}\n{"level":60,"msg":"second"}\n');
  });

  it('at exit writes the rest of a batch waiting out a full pipe, then what is pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jindu-log-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'out.log');
    const fd = openSync(path, 'w');
    let calls = 0; // four bytes go out, then the pipe is full: the rest waits for a retry
    const write: WriteBytes = (wfd, buffer, offset, length, position, done) => {
      calls++;
      if (calls === 1) return fsWrite(wfd, buffer, offset, 4, position, () => done(null, 4));
      if (calls === 2)
        return setImmediate(() => done(Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' }), 0));
      fsWrite(wfd, buffer, offset, length, position, done);
    };
    const d = new LogDestination(fd, { batchChars: 1, flushMs: 60_000, write, complain: () => {} });
    d.write('one two\n');
    while (calls < 2) await settle(1);
    await settle(1); // the rest of the batch now waits out the full pipe (a 10 ms retry)
    d.write('three\n');
    d.end(); // as at exit
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe('one two\nthree\n');
  });

  it('writes what is pending when the process exits, with nothing lost', () => {
    // A real process: lines under the batch and the interval, then exit at once.
    const script = `
      import { createLogger } from ${LOGGER};
      const log = createLogger('info');
      for (let i = 0; i < 50; i++) log.info({ i }, 'line');
      process.exit(0);`;
    const run = spawnSync(process.execPath, [...tsNode, script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const lines = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.i)).toEqual([...Array(50).keys()]);
  });

  it('keeps the event loop free while stdout’s reader stops reading', async () => {
    // 400 kB of lines into a shell pipe (64 kB) whose reader sleeps a second first: timers
    // still fire on time, and every line arrives, in order. (Node makes the pipe non-blocking
    // here, as in a server, so a write meets EAGAIN rather than blocking.)
    const script = `
      import { createLogger } from ${LOGGER};
      const log = createLogger('info');
      const pad = 'x'.repeat(180);
      let worst = 0, last = performance.now();
      const tick = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last - 20);
        last = now;
      }, 20);
      setTimeout(() => {
        for (let i = 0; i < 2000; i++) log.info({ i, pad }, 'line');
      }, 100);
      setTimeout(() => {
        clearInterval(tick);
        process.stderr.write(JSON.stringify({ worst }) + '\\n');
        log.flush(() => {});
      }, 1500);`;
    const child = spawn('sh', ['-c', '"$NODE" $FLAGS "$SCRIPT" | { sleep 1; cat; }'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE: process.execPath, FLAGS: tsNode.join(' '), SCRIPT: script },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, err).toBe(0);
    const lines = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.i)).toEqual([...Array(2000).keys()]);
    const { worst } = JSON.parse(err.trim().split('\n').at(-1)!);
    expect(worst).toBeLessThan(300); // blocked on the pipe, it would be most of a second
  }, 30_000);
});
