import { existsSync, readFileSync } from 'node:fs';

/**
 * The version in the project's package.json. Looked up from this file upwards because it runs
 * both from src/cli (through swc) and from dist/src/cli (compiled).
 */
export function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'jindu' && pkg.version) return pkg.version;
    }
    if (dir.pathname === '/') return 'unknown';
  }
}
