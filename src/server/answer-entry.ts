import type { InitiativeTree } from '../services/load-initiative-tree.js';
import type { ProgressIndex } from './progress-index.js';

/** One kept answer (or one being made), under the key and stamp it was made for. */
export interface Entry {
  readonly key: string;
  readonly stamp: string;
  /** Undefined while the answer is being made. */
  text: string | undefined;
  bytes: Buffer | undefined;
  readonly since: number;
  /** Resolves with the text once made, or undefined when it will not be kept. */
  readonly ready: Promise<string | undefined>;
  readonly settle: (text: string | undefined) => void;
  /** The one tree the answer was made from, when its text may be patched (answer-patch.ts). */
  tree: InitiativeTree | undefined;
  /** Where its figures sit in the text: made on first use; null when it cannot be patched. */
  index: ProgressIndex | null | undefined;
  /** What it counts against the cache's budget beside its text: the tree it holds. */
  treeChars: number;
}

/** Waits for `ready`, or `ms` at most. */
export async function waitAtMost(ready: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** An entry whose answer is being made: `settle` hands it to the requests that wait. */
export function newEntry(key: string, stamp: string): Entry {
  let settle!: (text: string | undefined) => void;
  const ready = new Promise<string | undefined>((resolve) => (settle = resolve));
  return {
    key,
    stamp,
    text: undefined,
    bytes: undefined,
    since: Date.now(),
    ready,
    settle,
    tree: undefined,
    index: undefined,
    treeChars: 0,
  };
}
