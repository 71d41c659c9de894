import { HttpError } from './http-json.js';
import type { RequestTarget } from './request-guards.js';

/**
 * The query parameters of the spreadsheet routes, read strictly: a parameter the route does not
 * know, or a flag that is not plainly on or off, is a 400. Read loosely, `dryRun=true` or a
 * misspelt `dry_run=1` meant "apply": a preview turned into a write.
 */
const ON = new Set(['1', 'true', 'yes', 'on']);
const OFF = new Set(['0', 'false', 'no', 'off']);

const bad = (message: string) => new HttpError(400, 'INVALID_INPUT', message);

export function sheetParams<F extends string, T extends string>(
  url: RequestTarget,
  known: { readonly flags: readonly F[]; readonly texts: readonly T[] },
): { flag: Record<F, boolean>; text: Record<T, string | null> } {
  const names = [...known.flags, ...known.texts] as string[];
  for (const name of new Set(url.searchParams.keys())) {
    if (!names.includes(name))
      throw bad(`不认识的参数：${name.slice(0, 40)}（可用：${names.join('、')}）`);
    if (url.searchParams.getAll(name).length > 1) throw bad(`参数 ${name} 只能给一次`);
  }
  const flag = {} as Record<F, boolean>;
  for (const name of known.flags) {
    const value = url.searchParams.get(name);
    const lower = value?.toLowerCase();
    if (value === null || lower === undefined) flag[name] = false;
    else if (ON.has(lower)) flag[name] = true;
    else if (OFF.has(lower)) flag[name] = false;
    else
      throw bad(
        `参数 ${name} 只能是 1/0、true/false、yes/no 或 on/off，收到 ${value.slice(0, 40)}`,
      );
  }
  const text = {} as Record<T, string | null>;
  for (const name of known.texts) text[name] = url.searchParams.get(name);
  return { flag, text };
}
