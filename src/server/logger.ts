import { pino, type Logger } from 'pino';

/** JSON logs on stdout, one object per line. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'jindu' }, timestamp: pino.stdTimeFunctions.isoTime });
}
