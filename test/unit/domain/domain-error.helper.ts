import { DomainError } from '../../../src/domain/errors.js';

/** The DomainError a call throws (code and field), or a marker when it throws nothing or something else. */
export function thrownBy(fn: () => unknown): { code: string; field?: readonly string[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, field: e.field };
    return { code: `not a DomainError: ${String(e)}` };
  }
  return { code: 'nothing thrown' };
}

/** The code a call throws, for one-line table assertions. */
export function codeOf(fn: () => unknown): string {
  return thrownBy(fn).code;
}
