import { DomainError } from '../domain/errors.js';
import { SheetError, SheetThreadError } from './sheet-error.js';
import type { PlannerError, PlannerRequest } from './sheet-worker.js';

/**
 * What a request of the sheet thread is for: the caller is told about a deadline or a failure
 * of the thread in its own words (an upload is sent again, a download asked again).
 */
export type Purpose = 'import' | 'export';

export const purposeOf = (body: PlannerRequest): Purpose =>
  body.kind === 'table' || body.kind === 'write' ? 'export' : 'import';

const retryAdvice: Record<Purpose, string> = {
  import: '本次未做任何修改，请重新上传',
  export: '请重新导出',
};

/** For a request that was not the cause (it waited behind it): try again. */
export const retryError = (why: string, purpose: Purpose) =>
  new SheetThreadError('RETRY', `${why}，${retryAdvice[purpose]}`);

/** For every request waiting on a thread that did not load in time. */
export const notLoadedError = (seconds: number, purpose: Purpose) =>
  retryError(`处理表格文件的线程 ${seconds} 秒内未能启动`, purpose);

/** For the request the thread was working on when its deadline passed. */
export const timeoutError = (seconds: number, purpose: Purpose) =>
  new SheetThreadError(
    'TIMEOUT',
    purpose === 'import'
      ? `读取或核对文件超过 ${seconds} 秒未完成，未做任何修改：请拆成几个较小的文件再导入`
      : `生成导出文件超过 ${seconds} 秒未完成：请稍后重试，或改用 CSV`,
  );

/** For the request the thread was working on when it ran out of its heap. */
export const tooLargeError = (heapMb: number, purpose: Purpose) =>
  new SheetError(
    'TOO_LARGE',
    purpose === 'import'
      ? `文件太复杂：读取时超出 ${heapMb} MB 内存上限`
      : `导出的内容太多：生成文件时超出 ${heapMb} MB 内存上限，请改用 CSV`,
  );

/** The errors a file or a row can raise, as the caller's own classes; anything else as a bug. */
export function rebuilt(e: PlannerError): Error {
  if (e.name === 'SheetError') return new SheetError(e.code as SheetError['code'], e.message);
  if (e.name === 'DomainError')
    return new DomainError(e.code as DomainError['code'], e.message, e.field);
  const err = new Error(e.message);
  err.stack = e.stack;
  return err;
}
