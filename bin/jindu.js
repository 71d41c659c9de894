#!/usr/bin/env node
// The `jindu` command. TypeScript runs through swc (it keeps decorator metadata, which
// type-graphql needs); the hooks must be registered before the first .ts import.
await import('@swc-node/register/esm-register');
await import('../src/cli/main.ts');
