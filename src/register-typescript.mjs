// swc's TypeScript hooks, for running the sources (bin/jindu.js before a build, and the sheet
// worker, which does not inherit its parent's hooks). Registered against this project's files
// and its tsconfig, not the working directory, from which swc's own esm-register resolves both:
// `node /path/to/jindu/bin/jindu.js` run elsewhere could not find swc, or compiled without the
// decorator metadata type-graphql needs.
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

process.env.SWC_NODE_PROJECT ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));
register('@swc-node/register/esm', import.meta.url);
