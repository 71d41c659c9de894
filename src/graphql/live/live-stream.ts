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
   * the live events held meanwhile; from then on no event at or before revision `through` is
   * handed out (the backlog has them, and this process's feed may hand them out later still).
   * False when the backlog's answers would not fit the queue: nothing was handed out then.
   */
  release(backlog: readonly LiveEvent[], through: number): boolean;
}

/**
 * One subscription's events as an async iterator: each outbox event is checked (`allowed`: the
 * caller's scope, every time), turned into zero or more answers, numbered 1, 2, 3… and queued.
 * A subscriber that lets more than MAX_QUEUED pile up is completed rather than allowed to
 * grow the process without bound; its client sees the end and refetches. With `held`, the
 * allowed live events wait (unnumbered) until `release` has handed out a backlog before them.
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
  /** Revisions at or below this were handed out by a resume's backlog. */
  let through = -1;
  const finish = () => {
    if (done) return;
    done = true;
    stop();
    onEnd();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };
  const push = (answers: Omit<T, 'seq'>[]) => {
    for (const answer of answers) {
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
    if (done || !allowed(event) || event.revision <= through) return;
    if (holding === null) return push(toAnswers(event));
    if (holding.length >= MAX_QUEUED) return finish();
    holding.push(event);
  });
  return {
    release: (backlog, last) => {
      const live = holding ?? [];
      holding = null;
      const answers = backlog.filter(allowed).flatMap(toAnswers);
      if (answers.length > MAX_QUEUED) return false;
      through = last;
      push(answers);
      for (const event of live) if (event.revision > last) push(toAnswers(event));
      return true;
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
