#!/usr/bin/env node
// The `jindu` command. It runs the JavaScript that `npm run build` compiles into dist/ when that
// build is newer than every TypeScript source (less memory, faster start); otherwise it runs the
// sources through swc, which keeps the decorator metadata type-graphql needs (the hooks must be
// registered before the first .ts import).
import { existsSync, readdirSync, statSync } from 'node:fs';

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
  await import(compiled.href);
} else {
  await import('@swc-node/register/esm-register');
  await import('../src/cli/main.ts');
}
