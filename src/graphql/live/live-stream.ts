import type { LiveEvent } from '../../domain/live-events.js';

/** Events a subscriber may have waiting; one that falls further behind is ended (refetch). */
export const MAX_QUEUED = 1_000;

export interface LiveSource {
  listen(listener: (event: LiveEvent) => void): () => void;
}

/** A subscription's stream; a held one waits for `release` before it hands anything out. */
export interface LiveStream<T> extends AsyncIterableIterator<T> {
  /**
   * Hands out `backlog` (a resumed subscription's missed events, in commit order) first, then
   * the live events held meanwhile, less those at or before revision `through` (the backlog
   * has them).
   */
  release(backlog: readonly LiveEvent[], through: number): void;
}

/**
 * One subscription's events as an async iterator: each outbox event is checked (`allowed`: the
 * caller's scope, every time), turned into zero or more answers, numbered 1, 2, 3… and queued.
 * A subscriber that lets more than MAX_QUEUED pile up is completed rather than allowed to
 * grow the process without bound; its client sees the end and refetches. With `held`, live
 * events wait (unnumbered) until `release` has handed out a backlog before them.
 */
export function liveStream<T extends { seq: number }>(
  source: LiveSource,
  allowed: (event: LiveEvent) => boolean,
  toAnswers: (event: LiveEvent) => Omit<T, 'seq'>[],
  onEnd: () => void,
  held = false,
): LiveStream<T> {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let done = false;
  let seq = 0;
  let holding: LiveEvent[] | null = held ? [] : null;
  const finish = () => {
    if (done) return;
    done = true;
    stop();
    onEnd();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };
  const emit = (event: LiveEvent) => {
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
  };
  const stop = source.listen((event) => {
    if (holding === null) return emit(event);
    if (holding.length >= MAX_QUEUED) return finish();
    holding.push(event);
  });
  return {
    release: (backlog, through) => {
      const live = holding ?? [];
      holding = null;
      for (const event of backlog) emit(event);
      for (const event of live) if (event.revision > through) emit(event);
    },
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
