import { pino, type Logger } from 'pino';

/**
 * JSON logs on stdout, one object per line. Lines are gathered into writes of about 4 kB (one
 * system call per few dozen requests rather than one each) and flushed at least every 250 ms;
 * pino writes out what is pending when the process exits.
 */
export function createLogger(level: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    destination.flush(); // returns at once when a write is under way
  }, 250).unref();
  return pino(
    { level, base: { service: 'jindu' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}
