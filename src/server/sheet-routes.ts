import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { actorName, canRead, canWrite, roleAtLeast, type Principal } from '../domain/access.js';
import { DomainError, DomainErrors } from '../domain/errors.js';
import type { Em } from '../db/em.js';
import { exportSheet } from '../services/export-sheet.js';
import { importSheet } from '../services/import-sheet.js';
import { MAX_SHEET_BYTES, SheetError, SheetThreadError } from '../sheets/sheet-error.js';
import { HttpError, refuseUnlessRead, sendBody, sendJson, sendJsonError } from './http-json.js';
import type { RequestTarget } from './request-guards.js';
import { readBodyBytes } from './request-body.js';
import { sheetParams } from './sheet-params.js';

export interface SheetDeps {
  readonly authenticate: (req: IncomingMessage) => Promise<Principal>;
  readonly em: (principal: Principal, req: IncomingMessage) => Em;
  /**
   * With group commit (SQLite), a promise that resolves once every commit so far is on disk: an
   * export or an import plan read between a write's commit and its sync waits for that sync, as
   * a /graphql answer does, so no file shows a change that a crash could still undo.
   */
  readonly durable?: () => Promise<void> | undefined;
  readonly log: Logger;
  /** How long an upload's read, and then its plan, may each take (JINDU_SHEET_TIMEOUT_MS). */
  readonly sheetTimeoutMs: number;
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return readBodyBytes(
    req,
    MAX_SHEET_BYTES,
    () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `文件超过 ${MAX_SHEET_BYTES / 1048576} MB 上限`),
  );
}

function initiativeOf(key: string | null): string {
  if (!key) throw new HttpError(400, 'INVALID_INPUT', '缺少参数 initiative（项目标识）');
  return key;
}

/** The upload's name, whose extension says how to read it (.xlsx, .csv, .txt). */
function fileNameOf(name: string | null): string {
  if (!name)
    throw new HttpError(
      400,
      'INVALID_INPUT',
      '缺少参数 file（文件名）：它的扩展名（.xlsx、.csv 或 .txt）决定按什么格式读',
    );
  return name;
}

/**
 * The dashboard's spreadsheet routes. POST /api/import?initiative=KEY&file=NAME[&dryRun=1]
 * [&skipErrors=1][&prune=1] with the file as the body (an editor's token), and GET (or HEAD)
 * /api/export?initiative=KEY&format=xlsx|csv (anyone who may read it). Parameters are read
 * strictly (sheet-params.ts).
 */
export async function sheetRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestTarget,
  deps: SheetDeps,
): Promise<void> {
  const principal = await deps.authenticate(req);
  try {
    if (url.pathname === '/api/export') {
      if (refuseUnlessRead(req, res)) return;
      const { text } = sheetParams(url, { flags: [], texts: ['initiative', 'format'] });
      const format = text.format ?? 'xlsx';
      if (format !== 'xlsx' && format !== 'csv')
        throw new HttpError(
          400,
          'INVALID_INPUT',
          `format 只能是 xlsx 或 csv，收到 ${format.slice(0, 40)}`,
        );
      const { bytes, fileName } = await exportSheet({
        em: deps.em(principal, req),
        initiativeKey: initiativeOf(text.initiative),
        format,
        canRead: (id) => canRead(principal, id),
        offThread: { timeoutMs: deps.sheetTimeoutMs },
      });
      await deps.durable?.();
      return sendBody(
        res,
        200,
        {
          'content-type':
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="${fileName}"`,
          'cache-control': 'no-store',
        },
        bytes,
      );
    }
    if (req.method !== 'POST')
      return sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', '只支持 POST', { allow: 'POST' });
    const { flag, text } = sheetParams(url, {
      flags: ['dryRun', 'skipErrors', 'prune'],
      texts: ['initiative', 'file'],
    });
    if (principal.kind !== 'token')
      throw new HttpError(
        401,
        'UNAUTHENTICATED',
        '导入需要编辑权限的令牌（Authorization: Bearer）',
      );
    // As GraphQL's writes answer a viewer (graphql/access.ts): it reads the initiative, so a
    // not-found would be untrue.
    if (!roleAtLeast(principal.role, 'editor'))
      throw new HttpError(403, 'FORBIDDEN', '只读令牌不能修改数据：需要 editor 或 admin 角色');
    const result = await importSheet({
      em: deps.em(principal, req),
      initiativeKey: initiativeOf(text.initiative),
      fileName: fileNameOf(text.file),
      by: actorName(principal),
      bytes: await readBytes(req),
      dryRun: flag.dryRun,
      skipErrors: flag.skipErrors,
      prune: flag.prune,
      scope: (id) => canWrite(principal, id),
      offThread: { timeoutMs: deps.sheetTimeoutMs },
    });
    const { plan } = result;
    await deps.durable?.(); // a dry run's plan reads what may not be on disk yet
    return sendJson(res, 200, {
      applied: result.applied,
      refused: result.refused,
      actor: result.actor,
      summary: plan.summary,
      newWorkstreams: plan.newWorkstreams,
      ignoredColumns: result.sheet.ignored,
      prune: plan.prune.map((i) => i.name),
      rows: plan.rows.map((r) => ({
        row: r.row,
        action: r.action,
        path: r.path,
        name: r.name,
        changes: r.changes,
        errors: r.errors,
      })),
    });
  } catch (err) {
    // A file refused is the upload's fault (400); an export too large to write is not the
    // caller's (it can only ask for CSV).
    if (err instanceof SheetError)
      return sendJsonError(res, url.pathname === '/api/export' ? 503 : 400, err.code, err.message);
    if (err instanceof SheetThreadError) {
      const initiative = url.searchParams.get('initiative');
      const what = url.pathname === '/api/export' ? 'export' : 'import';
      deps.log.warn({ code: err.code, initiative }, `${what} refused: the sheet thread was ended`);
      const retry: Record<string, string> = err.code === 'RETRY' ? { 'retry-after': '1' } : {};
      return sendJsonError(res, 503, err.code, err.message, retry);
    }
    if (err instanceof DomainError)
      return sendJsonError(res, err.code === 'NOT_FOUND' ? 404 : 409, err.code, err.message);
    if (err instanceof DomainErrors)
      return sendJsonError(res, 409, err.errors[0]?.code ?? 'INVALID_INPUT', err.message);
    throw err;
  }
}
