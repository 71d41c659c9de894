import type { FuzzOperation } from './fuzz-generator.js';

/**
 * Smaller variants of a failing operation, simplest first: the minimal selection, then each
 * variable's value shrunk (keys dropped, lists cut, strings shortened, values made null).
 */
export function* shrinkCandidates(op: FuzzOperation): Generator<FuzzOperation> {
  if (op.selection !== op.minimalSelection || op.vars.some((v) => !v.root)) {
    yield { ...op, selection: op.minimalSelection, vars: op.vars.filter((v) => v.root) };
  }
  if (op.auth !== 'admin' && op.auth !== 'garbage') yield { ...op, auth: 'admin' };
  if (op.transport !== 'post') yield { ...op, transport: 'post' };
  for (let i = 0; i < op.vars.length; i++) {
    for (const smaller of shrinkValue(op.vars[i]!.value)) {
      const vars = op.vars.map((v, j) => (j === i ? { ...v, value: smaller } : v));
      yield { ...op, vars };
    }
  }
}

function* shrinkValue(value: unknown, depth = 0): Generator<unknown> {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (value.length > 64) yield value.slice(0, 64);
    if (value.length > 8) yield value.slice(0, 8);
    return;
  }
  if (Array.isArray(value)) {
    let inner: unknown = value;
    let levels = 0;
    while (Array.isArray(inner) && inner.length === 1) [inner, levels] = [inner[0], levels + 1];
    if (levels > 3) yield [[inner]];
    if (value.length > 1) yield value.slice(0, 1);
    if (value.length === 1 && Array.isArray(value[0]) && value[0].length === 1) yield value[0];
    for (let i = 0; i < Math.min(value.length, 3); i++) {
      for (const s of shrinkValue(value[i], depth + 1))
        yield value.map((v, j) => (j === i ? s : v));
    }
    return;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    for (const [key] of entries) {
      yield Object.fromEntries(entries.filter(([k]) => k !== key));
    }
    for (const [key, v] of entries) {
      for (const s of shrinkValue(v, depth + 1))
        yield Object.fromEntries(entries.map(([k, old]) => [k, k === key ? s : old]));
    }
  }
}
