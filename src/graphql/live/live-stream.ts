import type { LiveEvent } from '../../domain/live-events.js';

/** Events a subscriber may have waiting; one that falls further behind is ended (refetch). */
export const MAX_QUEUED = 1_000;

export interface LiveSource {
  listen(listener: (event: LiveEvent) => void): () => void;
}

/**
 * One subscription's events as an async iterator: each outbox event is checked (`allowed`: the
 * caller's scope, every time), turned into zero or more answers, numbered 1, 2, 3… and queued.
 * A subscriber that lets more than MAX_QUEUED pile up is completed rather than allowed to
 * grow the process without bound; its client sees the end and refetches.
 */
export function liveStream<T extends { seq: number }>(
  source: LiveSource,
  allowed: (event: LiveEvent) => boolean,
  toAnswers: (event: LiveEvent) => Omit<T, 'seq'>[],
  onEnd: () => void,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let done = false;
  let seq = 0;
  const finish = () => {
    if (done) return;
    done = true;
    stop();
    onEnd();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };
  const stop = source.listen((event) => {
    if (done || !allowed(event)) return;
    for (const answer of toAnswers(event)) {
      const value = { ...answer, seq: ++seq } as T;
      if (waiting) {
        waiting({ value, done: false });
        waiting = null;
      } else if (queue.length >= MAX_QUEUED) {
        queue.length = 0;
        return finish();
      } else queue.push(value);
    }
  });
  return {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: () => {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw: (err: unknown) => {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
