import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CacheableFile, sendCacheable } from './cacheable-file.js';
import { refuseUnlessRead } from './http-json.js';
import { versionPage } from './versioned-page.js';

interface Asset {
  readonly file: CacheableFile;
  readonly type: string;
  /** Third-party files from node_modules change only with a release: cached for a day. */
  readonly vendor: boolean;
  /** The content's hash: under `?v=` this version the file is immutable (versioned-page.ts). */
  readonly version: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The dashboard's own files (web/) and the vendor files it imports, by exact URL. */
const VENDOR: Readonly<Record<string, string>> = {
  '/vendor/preact.mjs': 'preact/dist/preact.mjs',
  '/vendor/preact-hooks.mjs': 'preact/hooks/dist/hooks.mjs',
  '/vendor/htm.mjs': 'htm/dist/htm.mjs',
  '/vendor/htm-preact.mjs': 'htm/preact/index.mjs',
  '/vendor/uplot.mjs': 'uplot/dist/uPlot.esm.js',
  '/vendor/uplot.css': 'uplot/dist/uPlot.min.css',
};

/**
 * Vendor ES modules served with the files they import: graphql-ws's browser client
 * (dist/client.js) imports a chunk whose name carries a build hash, so the chunks are found by
 * reading its relative imports rather than named here.
 */
const VENDOR_MODULES: Readonly<Record<string, string>> = {
  '/vendor/graphql-ws/client.js': 'graphql-ws/dist/client.js',
};

/**
 * Pure domain modules the dashboard imports as they are, so a figure on the page is rounded by
 * the very function that prints it in reports and exports (no copy of the rule in web/).
 */
const SHARED: Readonly<Record<string, string>> = {
  '/shared/format-number.js': '../domain/format-number',
};

/** A domain module as browser JavaScript: the compiled file, or the source without its types. */
function sharedModule(base: string): Buffer {
  const compiled = fileURLToPath(new URL(`${base}.js`, import.meta.url));
  if (existsSync(compiled))
    return Buffer.from(readFileSync(compiled, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''));
  // Run from the TypeScript sources (development, tests): swc strips the types, as it does for
  // the server's own modules then.
  const source = readFileSync(fileURLToPath(new URL(`${base}.ts`, import.meta.url)), 'utf8');
  const swc = createRequire(import.meta.url)('@swc/core') as typeof import('@swc/core');
  const { code } = swc.transformSync(source, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
  });
  return Buffer.from(code);
}

/** The relative imports of an ES module (`from './x.js'`), as written. */
function relativeImports(source: string): string[] {
  return [...source.matchAll(/\bfrom\s*['"](\.\/[\w.-]+\.js)['"]/g)].map((m) => m[1]!);
}

function webRoot(): string {
  // src/server in development, dist/src/server once built: web/ sits at the package root.
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'web', 'index.html'))) return join(dir, 'web');
    if (dirname(dir) === dir) throw new Error('web/index.html not found');
  }
}

function asset(body: Buffer, path: string, vendor: boolean): Asset {
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  // Text compresses (scripts to about a third); a PNG is compressed already.
  const text = type.startsWith('text/') || type.startsWith('image/svg');
  const file = new CacheableFile(body, text);
  return { file, type, vendor, version: file.etag.slice(1, 13) };
}

/**
 * Every file the dashboard may load, read once at start into a table keyed by URL: a request
 * names an entry or gets a 404, so no path from a URL ever reaches the file system (no
 * traversal, no symlinks followed, no dotfiles). web/ is flat on purpose.
 */
export function loadStaticFiles(): { files: Map<string, Asset>; csp: string } {
  const root = webRoot();
  const files = new Map<string, Asset>();
  for (const name of readdirSync(root)) {
    if (name.startsWith('.') || !TYPES[extname(name)]) continue;
    files.set(`/${name}`, asset(readFileSync(join(root, name)), name, false));
  }
  const require = createRequire(import.meta.url);
  // htm resolves to node_modules/htm/dist/htm.js: three levels up is node_modules.
  const modules = dirname(dirname(dirname(require.resolve('htm'))));
  for (const [url, file] of Object.entries(VENDOR))
    files.set(url, asset(readFileSync(join(modules, file)), file, true));
  for (const [url, base] of Object.entries(SHARED))
    files.set(url, asset(sharedModule(base), url, false));
  for (const [url, file] of Object.entries(VENDOR_MODULES)) {
    const pending = [[url, file] as const];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [at, path] = next;
      if (files.has(at)) continue;
      const body = readFileSync(join(modules, path));
      files.set(at, asset(body, path, true));
      for (const rel of relativeImports(body.toString()))
        pending.push([join(dirname(at), rel), join(dirname(path), rel)]);
    }
  }
  const versions = new Map([...files].map(([url, { version }]) => [url, version]));
  versions.delete('/index.html');
  const page = versionPage(files.get('/index.html')!.file.body.toString(), versions);
  const index = asset(Buffer.from(page.html), 'index.html', false);
  files.set('/index.html', index);
  files.set('/', index);
  // The import map is the page's only inline script; the policy allows exactly it by its hash.
  const hash = createHash('sha256').update(page.importMap).digest('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { files, csp };
}

/**
 * Serves a dashboard file when the path names one (405 to a write); false when it does not.
 * Under its current version (`?v=`, as the page names it) a file is kept for a year without
 * asking again; under no version or another one, it is revalidated (the dashboard's own) or kept
 * a day (vendor files).
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  url: { readonly pathname: string; readonly searchParams: URLSearchParams },
  table: { files: Map<string, Asset>; csp: string },
): Promise<boolean> {
  const file = table.files.get(url.pathname);
  if (!file) return false;
  if (refuseUnlessRead(req, res)) return true;
  // The version is the content's hash: under it any file, the page too, can never change.
  const current = url.searchParams.get('v') === file.version;
  const headers: Record<string, string | number> = {
    'content-type': file.type,
    'cache-control': current
      ? 'public, max-age=31536000, immutable'
      : file.vendor
        ? 'public, max-age=86400'
        : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (file.type.startsWith('text/html')) {
    headers['content-security-policy'] = table.csp;
    headers['x-frame-options'] = 'DENY';
  }
  // A HEAD answer gets the same headers; Node leaves its body out.
  await sendCacheable(req, res, headers, file.file);
  return true;
}
