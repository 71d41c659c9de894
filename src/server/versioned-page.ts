/**
 * The dashboard's page, naming every file it loads by an immutable URL: `/app.js?v=<hash>`, the
 * file's content hash. Such a URL is cached by the browser for a year and never asked for again
 * (static-files.ts), so a reload costs one request (the page, revalidated) instead of one per
 * file. A changed file has a new hash, hence a new page, and is fetched once.
 *
 * The page's own links and script take the versioned URL directly. Modules import each other by
 * plain relative URLs (`./api.js`), which the import map remaps: every module's plain URL is a key
 * mapping to its versioned one, and the bare names (`preact`) map to versioned URLs too.
 */

const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/;
const MODULE = /\.m?js$/;

export interface VersionedPage {
  readonly html: string;
  /** The import map's text, exactly as inlined: the page's policy allows it by its hash. */
  readonly importMap: string;
}

/** `html` with every file of `versions` (plain URL → version) named by its versioned URL. */
export function versionPage(html: string, versions: ReadonlyMap<string, string>): VersionedPage {
  const at = (url: string) => {
    const version = versions.get(url);
    return version === undefined ? url : `${url}?v=${version}`;
  };
  const found = IMPORT_MAP.exec(html);
  if (!found) throw new Error('web/index.html has no import map');
  const declared = (JSON.parse(found[1]!) as { imports: Record<string, string> }).imports;
  const imports: Record<string, string> = {};
  for (const [name, url] of Object.entries(declared)) imports[name] = at(url);
  for (const url of [...versions.keys()].sort()) if (MODULE.test(url)) imports[url] = at(url);
  const importMap = `\n${JSON.stringify({ imports }, null, 2)}\n`;
  const page = html
    .replace(IMPORT_MAP, () => `<script type="importmap">${importMap}</script>`)
    .replace(
      /\b(src|href)="(\/[^"?#]*)"/g,
      (_, attr: string, url: string) => `${attr}="${at(url)}"`,
    );
  return { html: page, importMap };
}
