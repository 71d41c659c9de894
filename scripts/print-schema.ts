import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSchema, SCHEMA_FILE } from '../src/graphql/schema-file.js';

/** `npm run schema`: writes schema/schema.graphql, sorted, from the code. */
const sdl = await renderSchema();
writeFileSync(fileURLToPath(SCHEMA_FILE), sdl);
console.log(`wrote ${fileURLToPath(SCHEMA_FILE)} (${sdl.split('\n').length} lines)`);
