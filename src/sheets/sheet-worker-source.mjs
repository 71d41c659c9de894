// The sheet worker run from its TypeScript sources (the tests, and `jindu` before a build): a
// worker does not inherit the compiler hooks its parent registered, so it registers them too,
// as bin/jindu.js does, before the first .ts import.
// Against this file and the project's tsconfig, as bin/jindu.js registers them.
const { register } = await import('node:module');
const { fileURLToPath } = await import('node:url');
process.env.SWC_NODE_PROJECT ??= fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
register('@swc-node/register/esm', import.meta.url);
await import('./sheet-worker.ts');
