// The sheet worker run from its TypeScript sources (the tests, and `jindu` before a build): a
// worker does not inherit the compiler hooks its parent registered, so it registers them too,
// as bin/jindu.js does, before the first .ts import.
await import('../register-typescript.mjs');
await import('./sheet-worker.ts');
