import { fromGlobalId } from '../domain/global-id.js';

/** Where each workstream's progress value sits in an answer's text. */
export interface ProgressIndex {
  /** Workstream id → its slot in `bounds`. */
  readonly slots: ReadonlyMap<number, number>;
  /** Start and end (exclusive) of each slot's progress value, in text order. */
  readonly bounds: Int32Array;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

interface Frame {
  readonly object: boolean;
  key: string | null;
  id: string | null;
  start: number;
  end: number;
  /** Set on the frame of a progress value: the workstream object it belongs to. */
  readonly progressOf: Frame | null;
}

/**
 * One pass over an answer's JSON: for every object with an `id` naming a workstream and a
 * `progress` object value, where that value starts and ends. Null when a workstream is found
 * twice (a change would have to be written in two places).
 */
export function indexProgress(text: string): ProgressIndex | null {
  const found: { id: number; start: number; end: number }[] = [];
  const seen = new Set<number>();
  const stack: Frame[] = [];
  let top: Frame | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      for (;;) {
        const k = text.indexOf('"', j);
        if (k < 0) return null;
        let slashes = 0;
        while (text.charCodeAt(k - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) {
          j = k;
          break;
        }
        j = k + 1;
      }
      const value = text.slice(i + 1, j);
      if (top?.object) {
        if (text.charCodeAt(j + 1) === COLON) top.key = value;
        else if (top.key === 'id') top.id = value;
      }
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const progressOf = c === 123 && top?.object && top.key === 'progress' ? top : null;
      if (progressOf) progressOf.start = i;
      stack.push(
        (top = { object: c === 123, key: null, id: null, start: -1, end: -1, progressOf }),
      );
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      const done = stack.pop();
      top = stack[stack.length - 1];
      if (!done) return null;
      if (done.progressOf) done.progressOf.end = i + 1;
      if (done.object && done.id !== null && done.start >= 0 && done.end > done.start) {
        const workstream = workstreamIdOf(done.id);
        if (workstream !== null) {
          if (seen.has(workstream)) return null;
          seen.add(workstream);
          found.push({ id: workstream, start: done.start, end: done.end });
        }
      }
    }
  }
  // Objects close children first: the slots go in text order (no progress value holds another).
  found.sort((a, b) => a.start - b.start);
  const slots = new Map<number, number>();
  const bounds = new Int32Array(2 * found.length);
  found.forEach((f, slot) => {
    slots.set(f.id, slot);
    bounds[2 * slot] = f.start;
    bounds[2 * slot + 1] = f.end;
  });
  return { slots, bounds };
}

function workstreamIdOf(globalId: string): number | null {
  return fromGlobalId(globalId, 'Workstream')?.id ?? null;
}
