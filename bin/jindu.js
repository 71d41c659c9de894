#!/usr/bin/env node
// The `jindu` command. It runs the JavaScript that `npm run build` compiles into dist/ when that
// build is newer than every TypeScript source (less memory, faster start); otherwise it runs the
// sources through swc, which keeps the decorator metadata type-graphql needs (the hooks must be
// registered before the first .ts import).
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Before anything native loads: on an older Node, better-sqlite3 dies with a segmentation fault
// and MikroORM with an obscure import error. Say what to do instead (the machines' own `node` is
// 20; the project brings 22 as a dev dependency, which npm puts first on PATH).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
  process.stderr.write(
    `jindu needs Node ≥ 22.17, this is Node ${process.versions.node}; run it through npm ` +
      '(npm start, npx jindu …), which brings Node 22, or install Node 22\n',
  );
  process.exit(1);
}

const root = new URL('../', import.meta.url);
const stamp = new URL('dist/.built', root);
const compiled = new URL('dist/src/cli/main.js', root);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const fresh =
  existsSync(stamp) &&
  existsSync(compiled) &&
  statSync(stamp).mtimeMs >=
    Math.max(newestSource(new URL('src/', root)), newestSource(new URL('seeds/', root)));

if (fresh) {
  // V8's compiled code for the ~1,200 modules a command loads, kept on disk: compiling them
  // was a quarter of every start. Keyed by each file's content, so a new build compiles anew.
  // In the checkout's own node_modules/.cache, not Node's default under the shared temporary
  // directory, where another user of the machine could leave code for this process to run
  // (NODE_COMPILE_CACHE names another directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off). A
  // directory it cannot write only means no cache. (A default import of node:module: Node 20
  // has no such export, and a named one would fail before the version check above could say so.)
  module.enableCompileCache(
    process.env.NODE_COMPILE_CACHE ||
      fileURLToPath(new URL('node_modules/.cache/jindu-compile/', root)),
  );
  await import(compiled.href);
} else {
  await import('../src/register-typescript.mjs');
  await import('../src/cli/main.ts');
}
