import { describe, expect, it } from 'vitest';
import { versionPage } from '../../../src/server/versioned-page.js';

const PAGE = `<html><head>
<link rel="icon" href="data:," />
<link rel="stylesheet" href="/style.css" />
<link rel="stylesheet" href="/not-served.css" />
<script type="importmap">
{ "imports": { "preact": "/vendor/preact.mjs", "elsewhere": "/not-served.js" } }
</script>
<script type="module" src="/app.js"></script>
</head><body><a href="/#/i/hive">Hive</a></body></html>`;

const VERSIONS = new Map([
  ['/style.css', 'cssV'],
  ['/app.js', 'appV'],
  ['/api.js', 'apiV'],
  ['/vendor/preact.mjs', 'preV'],
  ['/', 'rootV'],
]);

describe('the dashboard page with versioned URLs', () => {
  const { html, importMap } = versionPage(PAGE, VERSIONS);

  it('names the files it links and runs by their versions, and leaves other URLs alone', () => {
    expect(html).toContain('href="/style.css?v=cssV"');
    expect(html).toContain('src="/app.js?v=appV"');
    expect(html).toContain('href="data:,"');
    expect(html).toContain('href="/not-served.css"');
    // A link within the page is not a file.
    expect(html).toContain('href="/#/i/hive"');
  });

  it('maps bare names and every module’s plain URL to the versioned one', () => {
    expect(JSON.parse(importMap)).toEqual({
      imports: {
        preact: '/vendor/preact.mjs?v=preV',
        elsewhere: '/not-served.js',
        '/api.js': '/api.js?v=apiV',
        '/app.js': '/app.js?v=appV',
        '/vendor/preact.mjs': '/vendor/preact.mjs?v=preV',
      },
    });
    // The map inlined is the text returned: the page's policy allows it by that text's hash.
    expect(html).toContain(`<script type="importmap">${importMap}</script>`);
  });

  it('refuses a page without an import map', () => {
    expect(() => versionPage('<html></html>', VERSIONS)).toThrow(/import map/);
  });
});
